/**
 * The peer: Kafka Connect standalone with the Debezium JDBC sink, upserting the same events into Postgres.
 * Publishing happens before Connect starts and is not timed; the rate is taken from the first row seen to the last.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from 'kafkajs';
import { mixedEvent } from './event-mix.js';
import {
  BROKERS,
  connectClient,
  Cleanup,
  connectProducer,
  createDatabase,
  createTopic,
  deleteTopics,
  freePort,
  LOG_DIR,
  perSecond,
  publishAll,
  REPO_ROOT,
  RUN_SUFFIX,
  startChild,
  stopChild,
  waitForRows,
} from './bench-support.js';

const CONNECT_DIR = join(REPO_ROOT, 'bench', 'kafka-connect');
const LIBS = join(REPO_ROOT, '.cache', 'kafka-connect', 'libs');
const LIBS_COMPLETE = join(LIBS, '.complete');

export interface PeerResult {
  eventsPerSec: number;
  /** Including worker and task start-up, from launching the JVM to the last row. */
  eventsPerSecFromStart: number;
  seconds: number;
  tasks: number;
  batchSize: number;
}

/** A Connect JSON value with its schema inline; the semantic names make the sink bind uuid and jsonb columns. */
export function connectEnvelope(eventId: string, eventJson: string): string {
  return JSON.stringify({
    schema: {
      type: 'struct',
      name: 'disclosure',
      optional: false,
      fields: [
        { field: 'event_id', type: 'string', optional: false, name: 'io.debezium.data.Uuid' },
        { field: 'event', type: 'string', optional: false, name: 'io.debezium.data.Json' },
      ],
    },
    payload: { event_id: eventId, event: eventJson },
  });
}

export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replaceAll(/@([A-Z_]+)@/g, (placeholder, key: string) => {
    if (!(key in values)) throw new Error(`no value for ${placeholder}`);
    return String(values[key]);
  });
}

/** Fetches the Connect and connector jars once; a changed pom fetches them again. */
function fetchJars(): void {
  const fingerprint = createHash('sha256')
    .update(readFileSync(join(CONNECT_DIR, 'pom.xml')))
    .digest('hex');
  if (existsSync(LIBS_COMPLETE) && readFileSync(LIBS_COMPLETE, 'utf8') === fingerprint) return;
  console.log(
    'bench: fetching Kafka Connect and the Debezium JDBC sink into .cache/kafka-connect/libs (first run)',
  );
  const fetch = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(CONNECT_DIR, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${LIBS}`,
    ],
    { encoding: 'utf8' },
  );
  if (fetch.status !== 0) {
    throw new Error(`mvn could not fetch the Connect jars: ${(fetch.stdout + fetch.stderr).slice(-800)}`);
  }
  writeFileSync(LIBS_COMPLETE, fingerprint);
}

export async function runPeer(
  events: number,
  cleanup: Cleanup,
  tasks = 2,
  batchSize = 2000,
): Promise<PeerResult> {
  fetchJars();
  const topic = `bench.peer.${RUN_SUFFIX}`;
  const connectorName = `bench-peer-${RUN_SUFFIX}`;
  await createTopic(topic, 6, cleanup);
  cleanup.add('delete Connect group', () => deleteTopics([], [`connect-${connectorName}`]));
  const database = await createDatabase('bench_peer', cleanup);

  const client = await connectClient(database.url, cleanup, 'peer');
  await client.query('CREATE TABLE peer_disclosure (event_id uuid PRIMARY KEY, event jsonb NOT NULL)');

  const messages: Message[] = Array.from({ length: events }, (_, index) => {
    const event = mixedEvent(index);
    return { key: event.subject.ref, value: connectEnvelope(event.eventId, JSON.stringify(event)) };
  });
  const producer = await connectProducer();
  try {
    await publishAll(producer, topic, messages);
  } finally {
    await producer.disconnect();
  }

  mkdirSync(LOG_DIR, { recursive: true });
  const workerFile = join(LOG_DIR, `connect-worker-${RUN_SUFFIX}.properties`);
  const sinkFile = join(LOG_DIR, `connect-sink-${RUN_SUFFIX}.properties`);
  const jdbcUrl = new URL(database.url);
  writeFileSync(
    workerFile,
    fillTemplate(readFileSync(join(CONNECT_DIR, 'worker.properties.template'), 'utf8'), {
      BROKERS,
      REST_PORT: await freePort(),
      OFFSETS_FILE: join(LOG_DIR, `connect-offsets-${RUN_SUFFIX}`),
      BATCH_SIZE: batchSize,
    }),
  );
  writeFileSync(
    sinkFile,
    fillTemplate(readFileSync(join(CONNECT_DIR, 'jdbc-sink.properties.template'), 'utf8'), {
      NAME: connectorName,
      TASKS: tasks,
      TOPIC: topic,
      JDBC_URL: `jdbc:postgresql://${jdbcUrl.host}${jdbcUrl.pathname}`,
      BATCH_SIZE: batchSize,
    }),
  );

  const launchedAt = Date.now();
  const { child, logFile } = startChild(
    'connect',
    'java',
    [
      '-Xms256m',
      '-Xmx1g',
      `-Dlog4j2.configurationFile=${join(CONNECT_DIR, 'log4j2.properties')}`,
      '-cp',
      `${LIBS}/*`,
      'org.apache.kafka.connect.cli.ConnectStandalone',
      workerFile,
      sinkFile,
    ],
    process.env,
    cleanup,
  );
  let progress;
  try {
    progress = await waitForRows(client, 'SELECT count(*) FROM peer_disclosure', events, {
      child,
      intervalMs: 100,
      stallMs: 90_000,
    });
  } catch (error) {
    const tail = existsSync(logFile) ? lastErrorLines(readFileSync(logFile, 'utf8')) : '';
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}${tail ? `; Connect log: ${tail}` : ''}`,
    );
  }
  await stopChild(child);
  return {
    eventsPerSec: perSecond(events - progress.firstSeenRows, progress.doneAt - progress.firstSeenAt),
    eventsPerSecFromStart: perSecond(events, progress.doneAt - launchedAt),
    seconds: (progress.doneAt - progress.firstSeenAt) / 1000,
    tasks,
    batchSize,
  };
}

function lastErrorLines(log: string): string {
  const lines = log.split('\n').filter((line) => /ERROR|Exception/.test(line));
  return lines.slice(-3).join(' | ').slice(0, 600);
}

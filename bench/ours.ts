/**
 * The real auditor (dist/apps/auditor/src/main.js) as a child process on its own topics, group and database:
 * end-to-end throughput, publish-to-commit latency, peak RSS, and latency at a steady moderate rate.
 */
import { spawnSync } from 'node:child_process';
import type { Message } from 'kafkajs';
import pg from 'pg';
import { mixedLine } from './event-mix.js';
import {
  BROKERS,
  connectClient,
  Cleanup,
  connectProducer,
  createDatabase,
  createTopic,
  deleteTopics,
  freePort,
  peakRssMb,
  perSecond,
  publishAll,
  publishAtRate,
  REPO_ROOT,
  RUN_SUFFIX,
  startChild,
  stopChild,
  waitFor,
  waitForRows,
  waitForStableGroup,
} from './bench-support.js';

export interface OursResult {
  eventsPerSec: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number | null;
  steady: { perSecond: number; events: number; p50Ms: number; p99Ms: number; maxMs: number };
}

/** Lines keyed like the CLI publisher does: by subject.ref, so one person's disclosures stay in order. */
export function auditorMessages(count: number, firstIndex = 0): Message[] {
  return Array.from({ length: count }, (_, offset) => {
    const line = mixedLine(firstIndex + offset);
    const key = /"subject":\{"ref":"([^"]+)"/.exec(line)?.[1] ?? null;
    return { key, value: Buffer.from(line, 'utf8') };
  });
}

const LATENCY_SQL = `
  SELECT
    percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
    percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99,
    max(latency_ms) AS max
  FROM (
    SELECT extract(epoch FROM recorded_at - received_at) * 1000 AS latency_ms FROM audit_entry WHERE id > $1
  ) latencies`;

export async function runOurs(
  events: number,
  steadyRate: number,
  steadySeconds: number,
  cleanup: Cleanup,
): Promise<OursResult> {
  const topic = `bench.ours.disclosures.${RUN_SUFFIX}`;
  const flaggedTopic = `bench.ours.flagged.${RUN_SUFFIX}`;
  const dlqTopic = `bench.ours.dlq.${RUN_SUFFIX}`;
  const groupId = `bench-ours-${RUN_SUFFIX}`;
  await createTopic(topic, 6, cleanup);
  cleanup.add('delete auditor output topics and group', () =>
    deleteTopics([flaggedTopic, dlqTopic], [groupId]),
  );
  const database = await createDatabase('bench_ours', cleanup);

  const migrate = spawnSync(process.execPath, ['bin/disclosure-audit.js', 'migrate'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: database.url },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stderr || migrate.stdout}`);

  const httpPort = await freePort();
  const { child, logFile } = startChild(
    'auditor',
    process.execPath,
    ['dist/apps/auditor/src/main.js'],
    {
      ...process.env,
      DATABASE_URL: database.url,
      KAFKA_BROKERS: BROKERS,
      DISCLOSURES_TOPIC: topic,
      FLAGGED_TOPIC: flaggedTopic,
      DLQ_TOPIC: dlqTopic,
      KAFKA_GROUP_ID: groupId,
      KAFKA_CLIENT_ID: groupId,
      HTTP_PORT: String(httpPort),
      HTTP_HOST: '127.0.0.1',
      // Info logging of 200,000 events would measure the terminal, not the auditor.
      LOG_LEVEL: 'warn',
    },
    cleanup,
  );
  await waitFor('auditor /health', async () => {
    if (child.exitCode !== null) throw new Error(`auditor exited (code ${child.exitCode}); see ${logFile}`);
    return (await fetch(`http://127.0.0.1:${httpPort}/health`)).ok;
  });
  await waitForStableGroup(groupId);

  const messages = auditorMessages(events);
  const client = await connectClient(database.url, cleanup, 'auditor');
  const producer = await connectProducer();
  cleanup.add('disconnect auditor publisher', () => producer.disconnect());

  const publishedAt = Date.now();
  const publishing = publishAll(producer, topic, messages);
  let progress;
  try {
    progress = await waitForRows(client, 'SELECT count(*) FROM audit_entry', events, { child });
  } finally {
    await publishing;
  }
  const seconds = (progress.doneAt - publishedAt) / 1000;
  const peak = peakRssMb(child.pid ?? -1);
  const full = await latency(client, 0);

  const { rows } = await client.query<{ max: string }>('SELECT coalesce(max(id), 0) AS max FROM audit_entry');
  const steadyEvents = steadyRate * steadySeconds;
  await publishAtRate(producer, topic, auditorMessages(steadyEvents, events), steadyRate);
  await waitForRows(client, 'SELECT count(*) FROM audit_entry', events + steadyEvents, { child });
  const steady = await latency(client, Number(rows[0].max));

  await stopChild(child);
  return {
    eventsPerSec: perSecond(events, progress.doneAt - publishedAt),
    seconds,
    p50Ms: full.p50,
    p99Ms: full.p99,
    peakRssMb: peak,
    steady: {
      perSecond: steadyRate,
      events: steadyEvents,
      p50Ms: steady.p50,
      p99Ms: steady.p99,
      maxMs: steady.max,
    },
  };
}

async function latency(
  client: pg.Client,
  afterId: number,
): Promise<{ p50: number; p99: number; max: number }> {
  const { rows } = await client.query<{ p50: number; p99: number; max: string }>(LATENCY_SQL, [afterId]);
  return { p50: Math.round(rows[0].p50), p99: Math.round(rows[0].p99), max: Math.round(Number(rows[0].max)) };
}

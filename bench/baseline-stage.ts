/** Runs bench/baseline (stock Kafka transport + class-validator + TypeORM save()) and measures its throughput. */
import {
  BROKERS,
  connectClient,
  Cleanup,
  connectProducer,
  createDatabase,
  createTopic,
  deleteTopics,
  peakRssMb,
  perSecond,
  publishAll,
  RUN_SUFFIX,
  startChild,
  stopChild,
  waitFor,
  waitForRows,
  waitForStableGroup,
} from './bench-support.js';
import { auditorMessages } from './ours.js';

export interface BaselineResult {
  events: number;
  eventsPerSec: number;
  seconds: number;
  peakRssMb: number | null;
}

export async function runBaseline(events: number, cleanup: Cleanup): Promise<BaselineResult> {
  const topic = `bench.baseline.${RUN_SUFFIX}`;
  const groupId = `bench-baseline-${RUN_SUFFIX}`;
  await createTopic(topic, 6, cleanup);
  cleanup.add('delete baseline group', () => deleteTopics([], [groupId]));
  const database = await createDatabase('bench_baseline', cleanup);

  let ready = false;
  const { child, logFile } = startChild(
    'baseline',
    process.execPath,
    ['dist/bench/baseline/main.js'],
    {
      ...process.env,
      DATABASE_URL: database.url,
      KAFKA_BROKERS: BROKERS,
      BASELINE_TOPIC: topic,
      BASELINE_GROUP_ID: groupId,
    },
    cleanup,
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    if (chunk.toString('utf8').includes('baseline ready')) ready = true;
  });
  await waitFor('baseline app', () => {
    if (child.exitCode !== null) throw new Error(`baseline exited (code ${child.exitCode}); see ${logFile}`);
    return Promise.resolve(ready);
  });
  await waitForStableGroup(groupId);

  const client = await connectClient(database.url, cleanup, 'baseline');
  const producer = await connectProducer();
  cleanup.add('disconnect baseline publisher', () => producer.disconnect());

  const messages = auditorMessages(events);
  const publishedAt = Date.now();
  const publishing = publishAll(producer, topic, messages);
  let progress;
  try {
    progress = await waitForRows(client, 'SELECT count(*) FROM baseline_disclosure', events, {
      child,
      intervalMs: 250,
    });
  } finally {
    await publishing;
  }
  const peak = peakRssMb(child.pid ?? -1);
  await stopChild(child);
  return {
    events,
    eventsPerSec: perSecond(events, progress.doneAt - publishedAt),
    seconds: (progress.doneAt - publishedAt) / 1000,
    peakRssMb: peak,
  };
}

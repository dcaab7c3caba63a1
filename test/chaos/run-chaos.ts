/**
 * The fault test (`npm run test:chaos`, docs/fault-test.md): publishes a realistic mix of disclosure events while
 * two auditors consume them, kills auditors with SIGKILL, restarts Postgres and the Kafka broker, then proves that
 * the trail holds every message exactly once, that every chain verifies, and that every flagged disclosure and
 * every rejected message reached its topic.
 *
 *   node dist/test/chaos/run-chaos.js [--events N] [--kills K] [--kill-gap-ms MIN-MAX]
 *                                     [--no-postgres-restart] [--no-broker-restart] [--timeout-s S]
 *
 * The last line of stdout is always `chaos: published=… recorded=… missing=… duplicates=… kills=… chains=…`;
 * the exit status is 0 only when every check passed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';

import { createRunDatabase, type RunDatabase } from '#libs/testing';

import { AuditorInstance } from './auditor-fleet.js';
import { progress, randomBetween, sleep } from './chaos-util.js';
import { PrivateBroker } from './private-broker.js';
import { ChaosPublisher, type PublishedMessage } from './publisher.js';
import { readWholeTopic } from './topic-reader.js';
import { checkContained, checkTrail, type TrailRow } from './trail-checks.js';

const PARTITIONS = 6;
const POLL_MS = 1000;
/**
 * A SIGKILLed consumer never leaves its group: the coordinator waits out its session (30 s in main.ts) before the
 * rebalance completes, and the whole group stands still meanwhile.
 */
const REBALANCE_STALL_ESTIMATE_MS = 35_000;
const PROGRESS_WAIT_LIMIT_MS = 120_000;

interface ChaosOptions {
  events: number;
  kills: number;
  killGapMs: { min: number; max: number };
  restartPostgres: boolean;
  restartBroker: boolean;
  timeoutMs: number;
  /** `progress`: each kill waits until the group consumes again; `random`: kills on a timer alone. */
  pace: 'progress' | 'random';
}

interface ChaosResult {
  published: number;
  recorded: number;
  missing: number;
  duplicates: number;
  kills: number;
  chainsOk: boolean;
  problems: string[];
}

function parseOptions(argv: string[]): ChaosOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '100000' },
      kills: { type: 'string', default: '10' },
      'kill-gap-ms': { type: 'string', default: '3000-8000' },
      'no-postgres-restart': { type: 'boolean', default: false },
      'no-broker-restart': { type: 'boolean', default: false },
      'timeout-s': { type: 'string', default: '900' },
      pace: { type: 'string', default: 'progress' },
    },
  });
  const events = positiveInteger('--events', values.events);
  const kills = positiveInteger('--kills', values.kills);
  const gap = /^(\d+)-(\d+)$/.exec(values['kill-gap-ms']);
  if (gap === null || Number(gap[1]) > Number(gap[2]))
    throw new Error('--kill-gap-ms must be MIN-MAX, e.g. 3000-8000');
  const pace = values.pace;
  if (pace !== 'progress' && pace !== 'random') throw new Error('--pace must be progress or random');
  return {
    pace,
    events,
    kills,
    killGapMs: { min: Number(gap[1]), max: Number(gap[2]) },
    restartPostgres: !values['no-postgres-restart'],
    restartBroker: !values['no-broker-restart'],
    timeoutMs: positiveInteger('--timeout-s', values['timeout-s']) * 1000,
  };
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive whole number, got ${text}`);
  return value;
}

async function runChaos(options: ChaosOptions, repoRoot: string): Promise<ChaosResult> {
  const runId = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const stateDir = join(repoRoot, '.cache', 'chaos', runId);
  mkdirSync(stateDir, { recursive: true });
  progress(`run ${runId}: ${options.events} events, ${options.kills} kills; logs in ${stateDir}`);

  const cleanups: (() => Promise<void>)[] = [];
  const emergencyStops: (() => void)[] = [];
  const onExit = () => emergencyStops.forEach((stop) => stop());
  process.once('exit', onExit);
  let succeeded = false;
  try {
    const broker = await PrivateBroker.start(repoRoot, stateDir);
    emergencyStops.push(() => broker.killNow());
    cleanups.push(() => broker.stop());
    progress(`own broker up at ${broker.brokers}`);

    const database = await createRunDatabase('chaos');
    cleanups.push(async () => {
      if (succeeded) await database.drop();
      else progress(`database ${database.name} kept for inspection`);
    });
    migrate(repoRoot, database.url);

    const topics = {
      disclosures: `chaos-disclosures-${runId}`,
      flagged: `chaos-flagged-${runId}`,
      dlq: `chaos-dlq-${runId}`,
    };
    await createTopics(broker.brokers, topics);

    const auditorEnvironment = {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: broker.brokers,
      DISCLOSURES_TOPIC: topics.disclosures,
      FLAGGED_TOPIC: topics.flagged,
      DLQ_TOPIC: topics.dlq,
      KAFKA_GROUP_ID: `chaos-auditors-${runId}`,
      KAFKA_CLIENT_ID: 'chaos-auditor',
      LOG_LEVEL: 'warn',
    };
    const auditors = [
      await AuditorInstance.create('auditor-a', repoRoot, stateDir, auditorEnvironment),
      await AuditorInstance.create('auditor-b', repoRoot, stateDir, auditorEnvironment),
    ];
    for (const auditor of auditors) {
      emergencyStops.push(() => auditor.killNow());
      cleanups.push(() => auditor.stop());
      auditor.start();
    }
    await Promise.all(auditors.map((auditor) => auditor.waitUntilServing()));
    progress('both auditors serving');

    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    // The Postgres restart ends idle connections too; the pool must not crash the run when that happens.
    pool.on('error', () => undefined);
    cleanups.push(() => pool.end());

    const publisher = await ChaosPublisher.connect(broker.brokers, topics.disclosures, PARTITIONS);
    cleanups.push(() => publisher.disconnect());
    const averageGap = (options.killGapMs.min + options.killGapMs.max) / 2;
    const perKillMs = averageGap + (options.pace === 'progress' ? REBALANCE_STALL_ESTIMATE_MS : 0);
    // Publishing spans most of the fault phase, so faults strike while batches are being written.
    const publishing = publisher.publish(options.events, options.kills * perKillMs * 0.8);
    publishing.catch(() => undefined);

    const kills = await injectFaults(options, {
      auditors,
      broker,
      publisher,
      pool,
      topic: topics.disclosures,
    });
    const published = await publishing;
    if (published.length !== options.events) {
      throw new Error(`published ${published.length} messages instead of ${options.events}`);
    }
    progress(`published ${published.length} messages; waiting for the trail to be complete`);

    await waitForTrail(pool, topics.disclosures, published.length, options.timeoutMs);
    const crashes = auditors.reduce((sum, auditor) => sum + auditor.crashes, 0);
    for (const auditor of auditors) await auditor.stop();

    const result = await checkEverything(repoRoot, database, broker.brokers, topics, published, pool, kills);
    if (crashes > 0) progress(`note: auditors exited on their own ${crashes} time(s); see their logs`);
    succeeded = result.problems.length === 0;
    return result;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => progress(`clean-up step failed: ${String(error)}`));
    }
    process.removeListener('exit', onExit);
    if (succeeded) rmSync(stateDir, { recursive: true, force: true });
    else progress(`logs kept in ${stateDir}`);
  }
}

interface FaultTargets {
  auditors: AuditorInstance[];
  broker: PrivateBroker;
  publisher: ChaosPublisher;
  pool: pg.Pool;
  topic: string;
}

/** Kills auditors at random moments, with one Postgres restart and one broker restart in between. */
async function injectFaults(options: ChaosOptions, targets: FaultTargets): Promise<number> {
  const postgresAfterKill = Math.max(1, Math.round(options.kills / 3));
  const brokerAfterKill = Math.max(1, Math.round((options.kills * 2) / 3));
  let kills = 0;
  let recordedAtLastKill = -1;
  for (let round = 1; round <= options.kills; round++) {
    if (options.pace === 'progress' && round > 1) {
      await waitForProgress(targets.pool, targets.topic, recordedAtLastKill);
    }
    await sleep(randomBetween(options.killGapMs.min, options.killGapMs.max));
    const victim = targets.auditors[Math.floor(Math.random() * targets.auditors.length)];
    const recorded = await countTrail(targets.pool, targets.topic).catch(() => -1);
    recordedAtLastKill = recorded;
    await victim.kill();
    kills++;
    progress(`kill ${kills}/${options.kills}: SIGKILL ${victim.name} (trail at ${recorded}); restarting it`);
    victim.start();

    if (round === postgresAfterKill) await restartPostgres(options.restartPostgres);
    if (round === brokerAfterKill) {
      if (options.restartBroker) {
        await targets.publisher.pauseWhile(async () => {
          progress('restarting the Kafka broker');
          await targets.broker.restart();
          progress('Kafka broker back');
        });
      } else {
        progress('broker restart skipped (--no-broker-restart)');
      }
    }
  }
  return kills;
}

/** So that the next kill strikes a group that is consuming again, not one still stuck in the last rebalance. */
async function waitForProgress(pool: pg.Pool, topic: string, recordedBefore: number): Promise<void> {
  const deadline = Date.now() + PROGRESS_WAIT_LIMIT_MS;
  while (Date.now() < deadline) {
    const recorded = await countTrail(pool, topic).catch(() => -1);
    if (recorded > recordedBefore) return;
    await sleep(250);
  }
  progress(`no progress within ${PROGRESS_WAIT_LIMIT_MS / 1000}s after the last fault; killing anyway`);
}

async function restartPostgres(wanted: boolean): Promise<void> {
  if (!wanted) {
    progress('Postgres restart skipped (--no-postgres-restart)');
    return;
  }
  const which = spawnSync('sh', ['-c', 'command -v pg_ctlcluster'], { encoding: 'utf8' });
  if (which.status !== 0) {
    progress('Postgres restart skipped: pg_ctlcluster is not available on this machine');
    return;
  }
  progress('restarting Postgres (pg_ctlcluster 15 main restart)');
  const started = Date.now();
  const restart = spawnSync('pg_ctlcluster', ['15', 'main', 'restart'], { encoding: 'utf8' });
  if (restart.status !== 0) {
    progress(`Postgres restart skipped: pg_ctlcluster failed: ${(restart.stderr || restart.stdout).trim()}`);
    return;
  }
  progress(`Postgres restarted in ${Date.now() - started} ms`);
}

async function countTrail(pool: pg.Pool, topic: string): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM audit_entry WHERE topic = $1',
    [topic],
  );
  return rows[0].count;
}

async function countOutbox(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM outbox');
  return rows[0].count;
}

/** Until every published message has an entry and the outbox has gone out, or the timeout expires. */
async function waitForTrail(
  pool: pg.Pool,
  topic: string,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const [recorded, outbox] = await Promise.all([countTrail(pool, topic), countOutbox(pool)]).catch(() => [
      -1, -1,
    ]);
    if (recorded >= expected && outbox === 0) return;
    if (Date.now() > deadline) {
      progress(`gave up waiting after ${timeoutMs / 1000}s: trail ${recorded}/${expected}, outbox ${outbox}`);
      return;
    }
    if (Date.now() - lastReport > 10_000) {
      progress(`trail ${recorded}/${expected}, outbox ${outbox}`);
      lastReport = Date.now();
    }
    await sleep(POLL_MS);
  }
}

async function checkEverything(
  repoRoot: string,
  database: RunDatabase,
  brokers: string,
  topics: { disclosures: string; flagged: string; dlq: string },
  published: PublishedMessage[],
  pool: pg.Pool,
  kills: number,
): Promise<ChaosResult> {
  const { rows } = await pool.query<TrailRow>(
    `SELECT kafka_partition AS partition, kafka_offset::text AS offset, kind, event_id AS "eventId", verdict,
            errors, raw
       FROM audit_entry WHERE topic = $1`,
    [topics.disclosures],
  );
  const trail = checkTrail(published, rows);
  const problems = [...trail.problems];

  const verify = spawnSync(process.execPath, [join(repoRoot, 'bin', 'disclosure-audit.js'), 'verify'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: database.url },
    encoding: 'utf8',
  });
  const chainsOk = verify.status === 0;
  if (!chainsOk) problems.push(`disclosure-audit verify failed: ${(verify.stdout + verify.stderr).trim()}`);
  else progress(verify.stdout.trim());

  const flagged = await readWholeTopic(brokers, topics.flagged);
  const flaggedIds = new Set(
    flagged.map((message) => {
      const value = JSON.parse(message.value?.toString('utf8') ?? '{}') as { eventId?: unknown };
      return String(value.eventId);
    }),
  );
  checkContained(
    problems,
    trail.flaggedEventIds,
    flaggedIds,
    'flagged disclosures are missing from the flagged topic',
  );

  const deadLetters = await readWholeTopic(brokers, topics.dlq);
  const deadLetterSources = new Set(
    deadLetters.map(
      (message) =>
        `${message.headers?.['x-source-partition']?.toString()}/${message.headers?.['x-source-offset']?.toString()}`,
    ),
  );
  checkContained(
    problems,
    trail.rejectedSources,
    deadLetterSources,
    'rejected messages are missing from the DLQ',
  );
  progress(
    `flagged topic: ${flagged.length} messages for ${trail.flaggedEventIds.length} flagged disclosures; ` +
      `DLQ: ${deadLetters.length} messages for ${trail.rejectedSources.length} rejected entries`,
  );

  return {
    published: published.length,
    recorded: trail.recorded,
    missing: trail.missing,
    duplicates: trail.duplicates,
    kills,
    chainsOk,
    problems,
  };
}

async function createTopics(
  brokers: string,
  topics: { disclosures: string; flagged: string; dlq: string },
): Promise<void> {
  const admin = new Kafka({
    clientId: 'chaos-admin',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: topics.disclosures, numPartitions: PARTITIONS },
        { topic: topics.flagged, numPartitions: 3 },
        { topic: topics.dlq, numPartitions: 3 },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

function migrate(repoRoot: string, databaseUrl: string): void {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'disclosure-audit.js'), 'migrate'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`migrate failed: ${(result.stdout + result.stderr).trim()}`);
}

function summaryLine(result: ChaosResult): string {
  return (
    `chaos: published=${result.published} recorded=${result.recorded} missing=${result.missing} ` +
    `duplicates=${result.duplicates} kills=${result.kills} chains=${result.chainsOk ? 'ok' : 'FAILED'}`
  );
}

async function main(): Promise<number> {
  // dist/test/chaos/run-chaos.js → the repository root three levels up.
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const result = await runChaos(options, repoRoot);
  progress(`finished in ${Math.round((Date.now() - started) / 1000)}s`);
  for (const problem of result.problems) process.stdout.write(`chaos: FAILED: ${problem}\n`);
  if (result.kills < options.kills) {
    process.stdout.write(`chaos: FAILED: only ${result.kills} of ${options.kills} kills happened\n`);
  }
  process.stdout.write(`${summaryLine(result)}\n`);
  return result.problems.length === 0 && result.kills >= options.kills ? 0 : 1;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stdout.write(`chaos: FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.stdout.write('chaos: published=0 recorded=0 missing=0 duplicates=0 kills=0 chains=FAILED\n');
    process.exit(1);
  },
);

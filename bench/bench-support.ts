/**
 * Shared plumbing of `npm run bench`: broker, topics, databases, child processes, publishing and polling.
 * Every name it creates carries a per-run suffix, because other engineers run Kafka/Postgres jobs on the same
 * broker and server at the same time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import pg from 'pg';

export const REPO_ROOT = resolve(process.cwd());
/** The broker ensureBroker starts (scripts/kafka-local.sh honours KAFKA_LOCAL_PORT), unless KAFKA_BROKERS names one. */
export const BROKERS = process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_LOCAL_PORT ?? '9092'}`;
export const ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const RUN_SUFFIX = `${process.pid}_${randomBytes(3).toString('hex')}`;
export const LOG_DIR = join(REPO_ROOT, '.cache', 'bench');

export function kafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: BROKERS.split(','), logLevel: logLevel.ERROR });
}

/** Returns true when this run started the broker (and so must stop it); a broker already up is reused. */
export function ensureBroker(): boolean {
  const status = spawnSync('bash', ['scripts/kafka-local.sh', 'status'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (status.status === 0) return false;
  const start = spawnSync('bash', ['scripts/kafka-local.sh', 'start'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (start.status !== 0) throw new Error('scripts/kafka-local.sh start failed');
  return true;
}

export function stopBroker(): void {
  spawnSync('bash', ['scripts/kafka-local.sh', 'stop'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

/** Cleanup steps run in reverse order of registration, each on its own so one failure does not skip the rest. */
export class Cleanup {
  private readonly steps: { label: string; run: () => Promise<void> | void }[] = [];

  add(label: string, run: () => Promise<void> | void): void {
    this.steps.push({ label, run });
  }

  async runAll(): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`bench: cleanup "${step.label}" failed: ${describeError(error)}`);
      }
    }
    this.steps.length = 0;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function createTopic(topic: string, numPartitions: number, cleanup: Cleanup): Promise<void> {
  const admin = kafka('bench-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  cleanup.add(`delete topic ${topic}`, () => deleteTopics([topic]));
}

export async function deleteTopics(topics: string[], groups: string[] = []): Promise<void> {
  const admin = kafka('bench-admin').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the consumer group has joined and been given partitions, so start-up is not timed. */
export async function waitForStableGroup(groupId: string, timeoutMs = 90_000): Promise<void> {
  const admin = kafka('bench-admin').admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { groups } = await admin.describeGroups([groupId]);
      if (groups[0]?.state === 'Stable' && groups[0].members.length > 0) return;
      await sleep(250);
    }
    throw new Error(`consumer group ${groupId} did not become stable within ${timeoutMs / 1000}s`);
  } finally {
    await admin.disconnect();
  }
}

export async function connectProducer(): Promise<Producer> {
  const producer = kafka('bench-publisher').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

/** Sends all messages with a few batches in flight, as a busy upstream system would. */
export async function publishAll(
  producer: Producer,
  topic: string,
  messages: Message[],
  batchSize = 1000,
  inFlight = 4,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const batch = messages.slice(next, next + batchSize);
      next += batchSize;
      await producer.send({ topic, messages: batch, acks: -1 });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** Publishes at a fixed rate in small slices on an absolute schedule, so a slow send does not lower the rate. */
export async function publishAtRate(
  producer: Producer,
  topic: string,
  messages: Message[],
  perSecond: number,
  sliceMs = 20,
): Promise<void> {
  const perSlice = Math.max(1, Math.round((perSecond * sliceMs) / 1000));
  const started = Date.now();
  const sends: Promise<unknown>[] = [];
  for (let sent = 0, slice = 0; sent < messages.length; sent += perSlice, slice++) {
    const due = started + slice * sliceMs;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    sends.push(producer.send({ topic, messages: messages.slice(sent, sent + perSlice), acks: -1 }));
  }
  await Promise.all(sends);
}

export interface RunDatabase {
  name: string;
  url: string;
}

export async function createDatabase(prefix: string, cleanup: Cleanup): Promise<RunDatabase> {
  const name = `${prefix}_${RUN_SUFFIX}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  cleanup.add(`drop database ${name}`, () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A connected client whose connection loss (e.g. someone restarting the shared Postgres) fails the next query
 * instead of crashing the process with an unhandled 'error' event and skipping the cleanup.
 */
export async function connectClient(url: string, cleanup: Cleanup, label: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', (error) => console.error(`bench: ${label} database connection lost: ${error.message}`));
  await client.connect();
  cleanup.add(`close ${label} database client`, () => client.end());
  return client;
}

export interface Progress {
  /** Wall-clock ms when the first poll saw at least one row, and how many rows it saw. */
  firstSeenAt: number;
  firstSeenRows: number;
  /** Wall-clock ms when the poll saw all expected rows. */
  doneAt: number;
}

/**
 * Polls a row count until it reaches `expected`. The count's own cost is small next to the 100 ms interval, and
 * a stall (no new row for `stallMs`) fails the run instead of hanging it.
 */
export async function waitForRows(
  client: pg.Client,
  countSql: string,
  expected: number,
  options: { stallMs?: number; child?: ChildProcess; intervalMs?: number } = {},
): Promise<Progress> {
  const stallMs = options.stallMs ?? 60_000;
  let lastCount = -1;
  let lastChange = Date.now();
  let firstSeenAt = 0;
  let firstSeenRows = 0;
  for (;;) {
    const { rows } = await client.query<{ count: string }>(countSql);
    const count = Number(rows[0].count);
    const now = Date.now();
    if (count > 0 && firstSeenAt === 0) {
      firstSeenAt = now;
      firstSeenRows = count;
    }
    if (count >= expected) return { firstSeenAt, firstSeenRows, doneAt: now };
    if (count !== lastCount) {
      lastCount = count;
      lastChange = now;
    } else if (now - lastChange > stallMs) {
      throw new Error(`stalled at ${count} of ${expected} rows for ${stallMs / 1000}s`);
    }
    if (options.child && options.child.exitCode !== null) {
      throw new Error(`the process under test exited (code ${options.child.exitCode}) at ${count} rows`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts a child whose output goes to .cache/bench/<label>.log, and stops it (SIGTERM, then SIGKILL) on cleanup. */
export function startChild(
  label: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cleanup: Cleanup,
): { child: ChildProcess; logFile: string } {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${label}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  cleanup.add(`stop ${label}`, () => stopChild(child));
  return { child, logFile };
}

export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Peak resident set size (VmHWM) of a live process, in MiB; null once it is gone. */
export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} not ready within ${timeoutMs / 1000}s`);
}

export function perSecond(rows: number, milliseconds: number): number {
  return milliseconds > 0 ? Math.round((rows * 1000) / milliseconds) : 0;
}

export function ratio(ours: number | null, other: number | null): number | null {
  if (ours === null || other === null || other === 0) return null;
  return Math.round((ours / other) * 100) / 100;
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Kafka, logLevel } from 'kafkajs';

import { freePort, sleep } from './chaos-util.js';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 20_000;

/**
 * A single-node KRaft broker that belongs to this chaos run alone, so restarting it cannot disturb anyone else.
 *
 * scripts/kafka-local.sh keeps its pid file and data in one fixed directory (.cache/kafka), so a second broker
 * started through it on another KAFKA_LOCAL_PORT collides with the shared one on 9092; this class runs the same
 * jars and configuration template with a state directory and ports of its own instead.
 */
export class PrivateBroker {
  private process: ChildProcess | undefined;
  private restarts = 0;

  private constructor(
    private readonly repoRoot: string,
    private readonly stateDir: string,
    private readonly libsDir: string,
    readonly port: number,
  ) {}

  get brokers(): string {
    return `${HOST}:${this.port}`;
  }

  get restartCount(): number {
    return this.restarts;
  }

  static async start(repoRoot: string, stateDir: string): Promise<PrivateBroker> {
    const libsDir = ensureKafkaJars(repoRoot);
    const port = await freePort();
    const controllerPort = await freePort();
    const dataDir = join(stateDir, 'kafka-data');
    mkdirSync(dataDir, { recursive: true });
    const template = readFileSync(join(repoRoot, 'scripts', 'kafka', 'server.properties.template'), 'utf8');
    writeFileSync(
      join(stateDir, 'server.properties'),
      template
        .replaceAll('@HOST@', HOST)
        .replaceAll('@PORT@', String(port))
        .replaceAll('@CONTROLLER_PORT@', String(controllerPort))
        .replaceAll('@DATA_DIR@', dataDir),
    );
    const broker = new PrivateBroker(repoRoot, stateDir, libsDir, port);
    broker.formatStorage();
    await broker.launch();
    return broker;
  }

  /** Stops the broker the way an operator would (SIGTERM, controlled shutdown) and starts it on the same data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
    this.restarts++;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_GRACE_MS).then(() => true)]);
    if (timedOut) {
      child.kill('SIGKILL');
      await exited;
    }
    this.process = undefined;
  }

  /** Last resort on process exit: synchronous, so it also works inside an 'exit' handler. */
  killNow(): void {
    if (this.process?.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }

  private javaBaseArgs(): string[] {
    return [
      `-Dlog4j2.configurationFile=${join(this.repoRoot, 'scripts', 'kafka', 'log4j2.properties')}`,
      '-cp',
      `${this.libsDir}/*`,
    ];
  }

  private formatStorage(): void {
    const clusterId = randomBytes(16).toString('base64url');
    const result = spawnSync(
      'java',
      [
        ...this.javaBaseArgs(),
        'kafka.tools.StorageTool',
        'format',
        '--config',
        join(this.stateDir, 'server.properties'),
        '--cluster-id',
        clusterId,
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new Error(`formatting the chaos broker's storage failed:\n${result.stdout}${result.stderr}`);
    }
  }

  private async launch(): Promise<void> {
    const log = openSync(join(this.stateDir, 'broker.log'), 'a');
    try {
      this.process = spawn(
        'java',
        [
          '-Xms128m',
          '-Xmx512m',
          '-XX:+UseG1GC',
          '-Djava.awt.headless=true',
          ...this.javaBaseArgs(),
          'kafka.Kafka',
          join(this.stateDir, 'server.properties'),
        ],
        { stdio: ['ignore', log, log] },
      );
    } finally {
      closeSync(log);
    }
    await this.waitUntilReady();
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const child = this.process;
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the chaos broker exited during start-up; see ${join(this.stateDir, 'broker.log')}`);
      }
      if (await answers(this.brokers)) return;
      if (Date.now() > deadline) {
        throw new Error(`the chaos broker did not answer within ${READY_TIMEOUT_MS / 1000}s`);
      }
      await sleep(500);
    }
  }
}

async function answers(brokers: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'chaos-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The jars scripts/kafka-local.sh fetched, or the same set fetched into this run's own cache. */
function ensureKafkaJars(repoRoot: string): string {
  const pom = join(repoRoot, 'scripts', 'kafka', 'pom.xml');
  const shared = join(repoRoot, '.cache', 'kafka', 'libs');
  if (existsSync(join(shared, '.complete'))) return shared;
  const own = join(repoRoot, '.cache', 'chaos-kafka-libs');
  if (existsSync(join(own, '.complete'))) return own;
  mkdirSync(own, { recursive: true });
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${own}`],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(
      `mvn could not fetch the Kafka jars (needs Maven Central):\n${result.stdout}${result.stderr}`,
    );
  }
  writeFileSync(join(own, '.complete'), 'ok\n');
  return own;
}

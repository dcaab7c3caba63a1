/**
 * Real Kafka and Postgres for the integration tests, wherever they run: services the caller configured,
 * throw-away containers when a Docker engine is reachable, or the local broker script and local Postgres.
 *
 * Jest's global set-up loads this file outside ts-jest (see jest-global-setup.ts), so it may import packages
 * and node: built-ins only, never other files of this repository.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';

export type ServiceStrategy = 'configured' | 'testcontainers' | 'local';

export interface ServiceStrategies {
  kafka: ServiceStrategy;
  postgres: ServiceStrategy;
}

export interface TestServices {
  strategies: ServiceStrategies;
  kafkaBrokers: string;
  databaseUrl: string;
}

export const KAFKA_IMAGE = 'apache/kafka:4.2.0';
export const POSTGRES_IMAGE = 'postgres:15';
export const TEST_DATABASE_NAME = 'disclosure_audit_test';
const DEFAULT_LOCAL_ADMIN_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DOCKER_PING_TIMEOUT_MS = 2000;

type Env = Readonly<Record<string, string | undefined>>;

const isSet = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/** Explicit configuration always wins, so CI or a developer can point the tests at any running service. */
export function chooseServiceStrategy({
  env,
  dockerAvailable,
}: {
  env: Env;
  dockerAvailable: boolean;
}): ServiceStrategies {
  const pick = (configuredBy: string): ServiceStrategy => {
    if (isSet(env[configuredBy])) return 'configured';
    return dockerAvailable ? 'testcontainers' : 'local';
  };
  return { kafka: pick('KAFKA_BROKERS'), postgres: pick('DATABASE_URL') };
}

export type DockerEndpoint =
  { kind: 'socket'; socketPath: string } | { kind: 'tcp'; host: string; port: number; tls: boolean };

/** Where a Docker engine could be listening, in the order the Docker CLI itself would look. */
export function dockerEndpointCandidates(env: Env, home: string = homedir()): DockerEndpoint[] {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    if (dockerHost.startsWith('unix://'))
      return [{ kind: 'socket', socketPath: dockerHost.slice('unix://'.length) }];
    if (dockerHost.startsWith('tcp://')) {
      const url = new URL(`http://${dockerHost.slice('tcp://'.length)}`);
      const tls = isSet(env.DOCKER_TLS_VERIFY) && env.DOCKER_TLS_VERIFY !== '0';
      return [{ kind: 'tcp', host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), tls }];
    }
    // An explicit DOCKER_HOST we cannot speak to (ssh://, npipe://) must not fall back to some other engine.
    return [];
  }
  const sockets = ['/var/run/docker.sock', join(home, '.docker', 'run', 'docker.sock')];
  if (isSet(env.XDG_RUNTIME_DIR)) sockets.push(join(env.XDG_RUNTIME_DIR!, 'docker.sock'));
  return sockets.map((socketPath) => ({ kind: 'socket', socketPath }));
}

function pingDocker(endpoint: DockerEndpoint, env: Env, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      if (endpoint.kind === 'socket' && !existsSync(endpoint.socketPath)) {
        resolve(false);
        return;
      }
      const options: https.RequestOptions = { method: 'GET', path: '/_ping', timeout: timeoutMs };
      if (endpoint.kind === 'socket') {
        options.socketPath = endpoint.socketPath;
      } else {
        options.host = endpoint.host;
        options.port = endpoint.port;
        if (endpoint.tls) {
          const certDir = env.DOCKER_CERT_PATH ?? join(homedir(), '.docker');
          options.ca = readFileSync(join(certDir, 'ca.pem'));
          options.cert = readFileSync(join(certDir, 'cert.pem'));
          options.key = readFileSync(join(certDir, 'key.pem'));
        }
      }
      const transport = endpoint.kind === 'tcp' && endpoint.tls ? https : http;
      const request = transport.request(options, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(false));
      request.end();
    } catch {
      resolve(false);
    }
  });
}

/** True only when a Docker engine answers a ping; a socket file alone may belong to a stopped engine. */
export async function isDockerAvailable({
  env = process.env,
  timeoutMs = DOCKER_PING_TIMEOUT_MS,
  home = homedir(),
}: { env?: Env; timeoutMs?: number; home?: string } = {}): Promise<boolean> {
  try {
    const candidates = dockerEndpointCandidates(env, home);
    const deadline = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    const anyAnswers = Promise.all(candidates.map((endpoint) => pingDocker(endpoint, env, timeoutMs))).then(
      (answers) => answers.some(Boolean),
    );
    return await Promise.race([anyAnswers, deadline]);
  } catch {
    return false;
  }
}

/** Hides any password so a connection string can go into a log line. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

const runFile = promisify(execFile);

type StopAction = () => Promise<void>;

interface RunningServices {
  stopActions: StopAction[];
}

// Jest runs global set-up and teardown in its parent process; this holds what set-up must undo.
let running: RunningServices | undefined;

export interface StartOptions {
  /** The repository root, where scripts/kafka-local.sh lives. */
  repoRoot?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/**
 * Starts (or finds) Kafka and Postgres, then sets KAFKA_BROKERS and DATABASE_URL in `env` so the tests, and the
 * Jest workers forked after this, connect to them.
 */
export async function startTestServices({
  repoRoot = process.cwd(),
  env = process.env,
  log = (line) => console.log(line),
}: StartOptions = {}): Promise<TestServices> {
  if (running) throw new Error('test services are already started; call stopTestServices() first');
  const needsDocker = !isSet(env.KAFKA_BROKERS) || !isSet(env.DATABASE_URL);
  const strategies = chooseServiceStrategy({
    env,
    dockerAvailable: needsDocker && (await isDockerAvailable({ env })),
  });
  const services: RunningServices = { stopActions: [] };
  running = services;
  try {
    const kafkaBrokers = await startKafka(strategies.kafka, { repoRoot, env, log, services });
    const databaseUrl = await startPostgres(strategies.postgres, { env, log, services });
    env.KAFKA_BROKERS = kafkaBrokers;
    env.DATABASE_URL = databaseUrl;
    return { strategies, kafkaBrokers, databaseUrl };
  } catch (error) {
    await stopTestServices();
    throw error;
  }
}

/** Stops only what startTestServices started; a broker or database that was already there is left alone. */
export async function stopTestServices(): Promise<void> {
  const services = running;
  running = undefined;
  if (!services) return;
  const failures: unknown[] = [];
  for (const stop of services.stopActions.reverse()) {
    try {
      await stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'stopping the test services failed');
}

interface StartContext {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  services: RunningServices;
}

async function startKafka(
  strategy: ServiceStrategy,
  { repoRoot, env, log, services }: StartContext & { repoRoot: string },
): Promise<string> {
  switch (strategy) {
    case 'configured':
      log(`[test services] kafka: configured, KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
      return env.KAFKA_BROKERS!;
    case 'testcontainers': {
      const { container, brokers } = await startKafkaContainer();
      services.stopActions.push(async () => {
        await container.stop();
      });
      log(`[test services] kafka: testcontainers ${KAFKA_IMAGE} at ${brokers}`);
      return brokers;
    }
    case 'local': {
      const script = join(repoRoot, 'scripts', 'kafka-local.sh');
      const runScript = (command: string) => runFile('bash', [script, command], { cwd: repoRoot, env });
      const wasAlreadyUp = await runScript('status').then(
        () => true,
        () => false,
      );
      try {
        await runScript('start');
      } catch (error) {
        throw new Error(`scripts/kafka-local.sh start failed:\n${scriptOutput(error)}`, { cause: error });
      }
      if (!wasAlreadyUp) {
        services.stopActions.push(async () => {
          await runScript('stop');
        });
      }
      const brokers = `127.0.0.1:${env.KAFKA_LOCAL_PORT ?? '9092'}`;
      const how = wasAlreadyUp ? 'reusing the broker already running' : 'started a broker';
      log(`[test services] kafka: local (scripts/kafka-local.sh, ${how}) at ${brokers}`);
      return brokers;
    }
  }
}

function scriptOutput(error: unknown): string {
  const { stdout, stderr } = error as { stdout?: string; stderr?: string };
  return [stdout, stderr].filter(Boolean).join('\n') || String(error);
}

async function startKafkaContainer() {
  const { GenericContainer, RandomPortGenerator, Wait, getContainerRuntimeClient } =
    await import('testcontainers');
  const dockerHost = (await getContainerRuntimeClient()).info.containerRuntime.host;
  // apache/kafka must know the address clients reach it by before it starts, so the host port is chosen here and
  // the broker listens on that same number inside the container.
  const port = await new RandomPortGenerator().generatePort();
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts({ container: port, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:29093',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${port},BROKER://localhost:29092,CONTROLLER://localhost:29093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${dockerHost}:${port},BROKER://localhost:29092`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,BROKER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_NUM_PARTITIONS: '6',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
      KAFKA_DEFAULT_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '6',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return { container, brokers: `${container.getHost()}:${port}` };
}

async function startPostgres(
  strategy: ServiceStrategy,
  { env, log, services }: StartContext,
): Promise<string> {
  switch (strategy) {
    case 'configured':
      log(`[test services] postgres: configured, DATABASE_URL=${describeDatabaseUrl(env.DATABASE_URL!)}`);
      return env.DATABASE_URL!;
    case 'testcontainers': {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer(POSTGRES_IMAGE)
        .withDatabase(TEST_DATABASE_NAME)
        .start();
      services.stopActions.push(async () => {
        await container.stop();
      });
      const databaseUrl = container.getConnectionUri();
      log(
        `[test services] postgres: testcontainers ${POSTGRES_IMAGE} at ${describeDatabaseUrl(databaseUrl)}`,
      );
      return databaseUrl;
    }
    case 'local': {
      const adminUrl = env.TEST_ADMIN_DATABASE_URL ?? DEFAULT_LOCAL_ADMIN_DATABASE_URL;
      const databaseUrl = await recreateLocalDatabase(adminUrl, TEST_DATABASE_NAME);
      // The database is kept after the run so a failed test's rows can be inspected; the next run replaces it.
      log(`[test services] postgres: local server, fresh database at ${describeDatabaseUrl(databaseUrl)}`);
      return databaseUrl;
    }
  }
}

async function recreateLocalDatabase(adminUrl: string, databaseName: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `cannot reach the local Postgres at ${describeDatabaseUrl(adminUrl)}; start it, or set DATABASE_URL`,
      { cause: error },
    );
  }
  try {
    // FORCE ends sessions a crashed earlier run may have left open, which would otherwise block the drop.
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

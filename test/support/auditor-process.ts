import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';

import { loadEnvironment, type EnvironmentDto } from '#libs/infrastructure';

import { startAuditor } from '../../apps/auditor/src/main.js';
import { waitFor } from './eventually.js';
import type { RunTopics } from './kafka-client.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
const AUDITOR_ENTRY_POINT = join(REPO_ROOT, 'dist', 'apps', 'auditor', 'src', 'main.js');

/** The auditor's environment variables for one run: its own topics, group, database and port. */
export function auditorVariables(
  topics: RunTopics,
  databaseUrl: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
    DISCLOSURES_TOPIC: topics.disclosures,
    FLAGGED_TOPIC: topics.flagged,
    DLQ_TOPIC: topics.deadLetter,
    KAFKA_GROUP_ID: topics.groupId,
    KAFKA_CLIENT_ID: topics.clientId,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    // A killed instance's partitions move on after this; the broker's minimum is 6 s.
    KAFKA_SESSION_TIMEOUT_MS: '8000',
    ...overrides,
  };
}

export interface InProcessAuditor {
  app: INestApplication;
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts the auditor inside the test process, exactly as main.ts does, on a port the OS picks. */
export async function startInProcessAuditor(variables: Record<string, string>): Promise<InProcessAuditor> {
  const environment: EnvironmentDto = loadEnvironment(variables);
  const app = await startAuditor(environment);
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, baseUrl, stop: () => app.close() };
}

/** dist/ is what `node dist/apps/auditor/src/main.js` runs; `npm test` builds it first, a lone jest run may not. */
export function ensureAuditorBuilt(): void {
  if (existsSync(AUDITOR_ENTRY_POINT)) return;
  execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/** The built auditor as a separate process, so that a test can SIGKILL it like the OOM killer would. */
export class ChildAuditor {
  private child: ChildProcess | undefined;
  private exited: Promise<NodeJS.Signals | number | null> | undefined;
  private output = '';

  constructor(private readonly variables: Record<string, string>) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.variables.HTTP_PORT}`;
  }

  /** Resolves once the auditor answers /health, i.e. its consumer and HTTP server are up. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [AUDITOR_ENTRY_POINT], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ...this.variables },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.output = '';
    const keep = (chunk: Buffer) => {
      // Only the tail matters for a failure message; the auditor logs no personal data.
      this.output = (this.output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    await waitFor(
      'the auditor child process answers GET /health',
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`the auditor exited with ${child.exitCode}: ${this.output}`);
        }
        const response = await fetch(`${this.baseUrl}/health`);
        return response.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get recentOutput(): string {
    return this.output;
  }

  /** Sends the signal and resolves with how the process ended. */
  async kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | number | null> {
    if (this.child === undefined || this.exited === undefined) throw new Error('the auditor was not started');
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  /** Stops the process if it is still running; for afterAll. */
  async stop(): Promise<void> {
    if (this.child === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const ended = await Promise.race([
      this.exited,
      new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000)),
    ]);
    if (ended === 'timeout') await this.kill('SIGKILL');
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, progress, sleep } from './chaos-util.js';

const READY_TIMEOUT_MS = 60_000;

/** One auditor process (`node dist/apps/auditor/src/main.js`) that the chaos run kills and brings back. */
export class AuditorInstance {
  private child: ChildProcess | undefined;
  private plannedExit = false;
  private unplannedExits = 0;
  private stopped = false;

  private constructor(
    readonly name: string,
    readonly httpPort: number,
    private readonly repoRoot: string,
    private readonly logPath: string,
    private readonly environment: NodeJS.ProcessEnv,
  ) {}

  static async create(
    name: string,
    repoRoot: string,
    logDir: string,
    environment: Record<string, string>,
  ): Promise<AuditorInstance> {
    const httpPort = await freePort();
    return new AuditorInstance(name, httpPort, repoRoot, join(logDir, `${name}.log`), {
      // A killed instance holds its partitions until its session times out; short sessions let kills land on busy
      // auditors instead of on a group that is still waiting for the last one.
      KAFKA_SESSION_TIMEOUT_MS: '8000',
      ...process.env,
      ...environment,
      KAFKA_CLIENT_ID: `${environment.KAFKA_CLIENT_ID ?? 'chaos-auditor'}-${name}`,
      HTTP_PORT: String(httpPort),
      HTTP_HOST: '127.0.0.1',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    });
  }

  /** Exits the auditor took on its own (crashes), as opposed to the kills of the run. */
  get crashes(): number {
    return this.unplannedExits;
  }

  start(): void {
    const log = openSync(this.logPath, 'a');
    try {
      const child = spawn(
        process.execPath,
        [join(this.repoRoot, 'dist', 'apps', 'auditor', 'src', 'main.js')],
        {
          cwd: this.repoRoot,
          env: this.environment,
          stdio: ['ignore', log, log],
        },
      );
      this.child = child;
      this.plannedExit = false;
      child.once('exit', (code, signal) => {
        if (this.child !== child || this.plannedExit || this.stopped) return;
        // A crash is a finding in its own right, but the run goes on so the trail checks still get their say.
        this.unplannedExits++;
        progress(`${this.name} exited on its own (code ${code}, signal ${signal}); restarting it`);
        this.start();
      });
    } finally {
      closeSync(log);
    }
  }

  /** Resolves once the HTTP server answers /health, i.e. the consumer has been started too. */
  async waitUntilServing(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`http://127.0.0.1:${this.httpPort}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(
      `${this.name} did not serve /health within ${READY_TIMEOUT_MS / 1000}s; see ${this.logPath}`,
    );
  }

  /** SIGKILL: no shutdown hooks, no offset commit, no leaving the group; the closest thing to pulling the plug. */
  async kill(): Promise<void> {
    await this.terminate('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.terminate('SIGTERM');
  }

  killNow(): void {
    this.stopped = true;
    if (this.child?.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    this.plannedExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}

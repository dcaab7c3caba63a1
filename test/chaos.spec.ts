import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The short fault test of CI (docs/fault-test.md): the chaos script with 10,000 events, ten SIGKILLs and a broker
 * restart. Postgres is restarted only with CHAOS_RESTART_POSTGRES=1, because on a shared machine that restart also
 * cuts off everyone else's connections.
 */
const EVENTS = 10_000;
const KILLS = 10;
const SCRIPT = join(process.cwd(), 'dist', 'test', 'chaos', 'run-chaos.js');

function runChaosScript(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('fault test (test/chaos/run-chaos.ts)', () => {
  it('loses and duplicates nothing while auditors are killed and the broker restarts', async () => {
    if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`npm run build\` first`);
    const args = ['--events', String(EVENTS), '--kills', String(KILLS), '--kill-gap-ms', '1500-4000'];
    args.push('--pace', 'random');
    if (process.env.CHAOS_RESTART_POSTGRES !== '1') args.push('--no-postgres-restart');

    const { status, stdout, stderr } = await runChaosScript(args);

    const lines = stdout.trim().split('\n');
    const summary = lines[lines.length - 1];
    // On failure the progress log (stderr) says which fault was active when things went wrong.
    if (status !== 0) process.stderr.write(stderr);
    expect(lines.filter((line) => line.startsWith('chaos: FAILED'))).toEqual([]);
    expect(summary).toMatch(
      /^chaos: published=\d+ recorded=\d+ missing=\d+ duplicates=\d+ kills=\d+ chains=\w+$/,
    );
    const figures = Object.fromEntries(
      [...summary.matchAll(/(\w+)=(\w+)/g)].map(([, name, value]) => [name, value]),
    );
    expect(figures).toMatchObject({
      published: String(EVENTS),
      recorded: String(EVENTS),
      missing: '0',
      duplicates: '0',
      chains: 'ok',
    });
    expect(Number(figures.kills)).toBeGreaterThanOrEqual(KILLS);
    expect(stderr).toContain('Kafka broker back');
    expect(status).toBe(0);
  }, 240_000);
});

import { createServer } from 'node:net';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port nobody listens on right now; the OS picks it, so parallel runs do not collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function randomBetween(min: number, max: number): number {
  return min + Math.random() * (max - min);
}

/** Progress lines go to stderr so that stdout carries only the result, whose last line callers parse. */
export function progress(message: string): void {
  process.stderr.write(`chaos: ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

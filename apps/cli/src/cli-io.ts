import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** A mistake in how the command was called: exit status 2, with a message that says what to do instead. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Output {
  write(text: string): void;
}

export interface CliContext {
  stdout: Output;
  stderr: Output;
  stdin: Readable;
}

/** Yields each line of a file (or stdin for `-`) with its 1-based line number. */
export async function* readLines(
  path: string,
  stdin: Readable,
): AsyncGenerator<{ line: number; text: string }> {
  const input = path === '-' ? stdin : createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    if (path === '-') return resolve();
    input.once('open', () => resolve());
    input.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`),
      ),
    );
  });
  await opened;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    yield { line, text };
  }
}

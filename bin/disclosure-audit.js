#!/usr/bin/env node
// Entry point of the `disclosure-audit` command; the CLI itself is TypeScript compiled to dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/apps/cli/src/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write(
    'disclosure-audit is not built yet: run `npm run build` in the project directory first.\n',
  );
  process.exit(2);
}
// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { runCli } = await import(main);
process.exitCode = await runCli(process.argv.slice(2));

/**
 * Jest global set-up for the integration project: starts Kafka and Postgres once for the whole run.
 *
 * Jest loads global set-up files with Node's own module loader rather than its test runtime, so the
 * moduleNameMapper that turns `./x.js` into `./x.ts` does not apply here and a plain import of
 * service-environment.js would fail. Instead the file is transpiled on its own into .cache/ and imported from there;
 * that is also why service-environment.ts may not import other files of this repository.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import ts from 'typescript';

import type * as ServiceEnvironment from './service-environment.js';

/** Read by jest-global-teardown.ts; Jest documents globalThis as the way to hand state from set-up to teardown. */
const STOP_TEST_SERVICES_KEY = Symbol.for('disclosure-audit.stopTestServices');

export default async function globalSetup(
  _globalConfig: unknown,
  projectConfig: { rootDir: string },
): Promise<void> {
  const services = await loadServiceEnvironment(projectConfig.rootDir);
  (globalThis as Record<symbol, unknown>)[STOP_TEST_SERVICES_KEY] = services.stopTestServices;
  await services.startTestServices({ repoRoot: projectConfig.rootDir });
}

async function loadServiceEnvironment(rootDir: string): Promise<typeof ServiceEnvironment> {
  const sourcePath = join(rootDir, 'libs', 'testing', 'src', 'service-environment.ts');
  const source = await readFile(sourcePath, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: sourcePath,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  // Named by content: parallel Jest runs never overwrite a file another run is importing, and edits take effect.
  const digest = createHash('sha256').update(outputText).digest('hex').slice(0, 16);
  const outputDir = join(rootDir, '.cache', 'jest');
  const outputPath = join(outputDir, `service-environment.${digest}.mjs`);
  if (!existsSync(outputPath)) {
    await mkdir(outputDir, { recursive: true });
    const partialPath = `${outputPath}.${process.pid}.tmp`;
    await writeFile(partialPath, outputText);
    await rename(partialPath, outputPath);
  }
  return (await import(pathToFileURL(outputPath).href)) as typeof ServiceEnvironment;
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'disclosure-audit';

/**
 * The register that ships with the project: `register/` in the project root, found by walking up from this module,
 * so that it works from the TypeScript sources, from dist/ and through `npx` from any working directory.
 * REGISTER_DIR overrides it.
 */
export function defaultRegisterDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REGISTER_DIR) return env.REGISTER_DIR;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME
    ) {
      return join(directory, 'register');
    }
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error(`cannot find the ${PACKAGE_NAME} project root above ${import.meta.url}`);
    directory = parent;
  }
}

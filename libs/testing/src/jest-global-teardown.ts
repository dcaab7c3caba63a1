/** Jest global teardown for the integration project: stops what jest-global-setup.ts started. */
import type { stopTestServices } from './service-environment.js';

// Must match jest-global-setup.ts; it is repeated because Jest cannot resolve relative imports here at run time.
const STOP_TEST_SERVICES_KEY = Symbol.for('disclosure-audit.stopTestServices');

export default async function globalTeardown(): Promise<void> {
  const stop = (globalThis as Record<symbol, unknown>)[STOP_TEST_SERVICES_KEY] as
    typeof stopTestServices | undefined;
  await stop?.();
}

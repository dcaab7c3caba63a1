import { fileURLToPath } from 'node:url';

/**
 * The AsyncAPI document of the auditor's topics (libs/contracts/asyncapi.yaml). It is not copied into dist/, so
 * the compiled module points back at the source tree.
 */
export const ASYNCAPI_DOCUMENT_PATH = fileURLToPath(
  new URL('../asyncapi.yaml', import.meta.url.replace('/dist/libs/contracts/', '/libs/contracts/')),
);

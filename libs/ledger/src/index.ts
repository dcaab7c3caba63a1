// Domain: pure rules of the trail.
export { ChainVerifier, type VerifiedEntry } from './domain/chain-verifier.js';
export {
  computeEntryHash,
  contentHashOf,
  entryHashInput,
  GENESIS_PREV_HASH,
  hashedFields,
} from './domain/entry-hash.js';
export { LedgerErrorCode, LedgerException } from './ledger.exception.js';
export type * from './ledger.types.js';
// Persistence: Postgres, one repository per concern.
export { LedgerModule, type LedgerModuleAsyncOptions, type LedgerModuleOptions } from './ledger.module.js';
export {
  assertWriterRole,
  createDataSource,
  LEDGER_WRITER_ROLE,
  type LedgerDataSourceOptions,
} from './persistence/data-source.js';
export { OutboxRepository } from './persistence/outbox.repository.js';
export { DEFAULT_OUTPUT_TOPICS, TrailAppendRepository } from './persistence/trail-append.repository.js';
export { TrailQueryRepository } from './persistence/trail-query.repository.js';

export {
  assertWriterRole,
  createDataSource,
  LEDGER_ENTITIES,
  LEDGER_WRITER_ROLE,
  type LedgerDataSourceOptions,
} from './data-source.js';
export { AuditEntryEntity } from './entities/audit-entry.entity.js';
export { OutboxMessageEntity } from './entities/outbox-message.entity.js';
export {
  computeEntryHash,
  contentHashOf,
  entryHashInput,
  GENESIS_PREV_HASH,
  hashedFields,
  type AuditEntryValues,
} from './entry-hash.js';
export { LedgerErrorCode, LedgerException } from './ledger.exception.js';
export { LedgerModule, type LedgerModuleOptions } from './ledger.module.js';
export { DEFAULT_OUTPUT_TOPICS, LEDGER_OUTPUT_TOPICS, LedgerRepository } from './ledger.repository.js';
export type * from './ledger.types.js';

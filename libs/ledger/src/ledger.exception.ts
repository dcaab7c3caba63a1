export enum LedgerErrorCode {
  /** Another writer committed a clashing entry first (same new eventId on two partitions, deadlock, serialisation). */
  CONCURRENT_WRITE = 'LEDGER_CONCURRENT_WRITE',
  /** A record breaks the ledger's input contract; nothing of the batch was written. */
  INVALID_RECORD = 'LEDGER_INVALID_RECORD',
  /** The connection is not running as the append-only writer role, so the database would not protect the trail. */
  WRITER_ROLE_NOT_ACTIVE = 'LEDGER_WRITER_ROLE_NOT_ACTIVE',
  /** Any other database failure (unreachable, schema missing, privilege refused). */
  DATABASE_FAILURE = 'LEDGER_DATABASE_FAILURE',
}

const RETRYABLE_CODES: ReadonlySet<LedgerErrorCode> = new Set([
  LedgerErrorCode.CONCURRENT_WRITE,
  LedgerErrorCode.DATABASE_FAILURE,
]);

/**
 * Messages never quote record content: they end up in logs, and events describe people. They name the record by
 * its index in the batch and the field by its path instead.
 */
export class LedgerException extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details: { recordIndex?: number; sqlState?: string; constraint?: string } = {},
  ) {
    super(message);
    this.name = 'LedgerException';
  }

  /** Whether running the same call again may succeed (the batch was rolled back as a whole). */
  get retryable(): boolean {
    return RETRYABLE_CODES.has(this.code);
  }
}

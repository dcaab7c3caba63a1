import { QueryFailedError } from 'typeorm';

import { LedgerErrorCode, LedgerException } from '../ledger.exception.js';

/** SQLSTATEs after which the whole batch can simply be tried again. */
const CONCURRENCY_SQLSTATES: ReadonlyMap<string, string> = new Map([
  ['23505', 'a concurrent writer recorded a clashing entry first'],
  ['40P01', 'deadlock with a concurrent writer'],
  ['40001', 'serialisation failure with a concurrent writer'],
]);

/**
 * The one place where driver errors become LedgerExceptions; every repository runs its database calls through it.
 * The driver's error is not kept as the cause: TypeORM's error carries the query parameters, which hold event
 * content, and would reach the logs with it.
 */
export async function withLedgerErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw ledgerExceptionFrom(error);
  }
}

export function ledgerExceptionFrom(error: unknown): LedgerException {
  if (error instanceof LedgerException) return error;
  const driverError = (error instanceof QueryFailedError ? error.driverError : error) as {
    code?: unknown;
    constraint?: unknown;
    message?: unknown;
  } | null;
  const sqlState = typeof driverError?.code === 'string' ? driverError.code : undefined;
  const constraint = typeof driverError?.constraint === 'string' ? driverError.constraint : undefined;
  const concurrency = sqlState === undefined ? undefined : CONCURRENCY_SQLSTATES.get(sqlState);
  if (concurrency !== undefined) {
    return new LedgerException(LedgerErrorCode.CONCURRENT_WRITE, `ledger write not applied: ${concurrency}`, {
      sqlState,
      constraint,
    });
  }
  // Data exceptions (class 22) quote the offending value, which may come from an event; the others name only
  // objects (tables, constraints, roles) or the connection, which operators need to see.
  const message = driverError?.message;
  const summary = typeof message === 'string' && !sqlState?.startsWith('22') ? message : undefined;
  return new LedgerException(
    LedgerErrorCode.DATABASE_FAILURE,
    `ledger database operation failed${sqlState ? ` (SQLSTATE ${sqlState})` : ''}${summary ? `: ${summary}` : ''}`,
    { sqlState, constraint },
  );
}

import { DataSource, type DataSourceOptions } from 'typeorm';

import { AuditEntryEntity } from './entities/audit-entry.entity.js';
import { OutboxMessageEntity } from './entities/outbox-message.entity.js';
import { LedgerErrorCode, LedgerException } from './ledger.exception.js';

/** The role the service writes as: SELECT and INSERT on the trail, nothing that could change a row. */
export const LEDGER_WRITER_ROLE = 'disclosure_audit_writer';

export const LEDGER_ENTITIES = [AuditEntryEntity, OutboxMessageEntity];

export interface LedgerDataSourceOptions {
  /**
   * Run every pooled connection as {@link LEDGER_WRITER_ROLE} (the default). Only migrations turn it off: they
   * create the tables and the role, so they must run as the connecting user.
   */
  asWriter?: boolean;
  poolSize?: number;
  applicationName?: string;
  /** Only the migration DataSource (top-level `migrations/`, imported as `#migrations`) passes these. */
  migrations?: DataSourceOptions['migrations'];
}

/**
 * The service's DataSource. Its connections switch to the writer role in the connection's startup packet
 * (`options=-c role=...`), so the role is in force before the first query, for every connection the pool ever opens,
 * and a `RESET ROLE` or `DISCARD ALL` returns to the writer rather than to the user named in the URL. That holds
 * even when DATABASE_URL names the owner or a superuser. A connection pooler in transaction mode would drop startup
 * options; {@link assertWriterRole} catches that at start-up.
 */
export function createDataSource(databaseUrl: string, options: LedgerDataSourceOptions = {}): DataSource {
  const asWriter = options.asWriter ?? true;
  return new DataSource({
    type: 'postgres',
    url: asWriter ? withStartupRole(databaseUrl, LEDGER_WRITER_ROLE) : databaseUrl,
    entities: LEDGER_ENTITIES,
    migrations: options.migrations ?? [],
    synchronize: false,
    migrationsRun: false,
    // Query parameters carry event content (personal data); TypeORM would print them with a failing query.
    logging: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'disclosure-audit',
  });
}

/**
 * Adds `-c role=...` to the URL's `options` parameter. It goes into the URL rather than the pool's own options
 * because pg lets parameters in the connection string override those, so a URL that already carries `options`
 * would otherwise silently drop the role.
 */
export function withStartupRole(databaseUrl: string, role: string): string {
  const url = new URL(databaseUrl);
  const roleOption = `-c role=${role}`;
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', existing ? `${existing} ${roleOption}` : roleOption);
  return url.toString();
}

/** Fails unless the DataSource's connections run as the writer role (e.g. behind a pooler that drops options). */
export async function assertWriterRole(dataSource: DataSource): Promise<void> {
  const rows = await dataSource.query<{ role: string }[]>('SELECT current_user AS role');
  const role = rows[0]?.role;
  if (role !== LEDGER_WRITER_ROLE) {
    throw new LedgerException(
      LedgerErrorCode.WRITER_ROLE_NOT_ACTIVE,
      `the ledger connection runs as ${role ?? 'an unknown role'}, not ${LEDGER_WRITER_ROLE}`,
    );
  }
}

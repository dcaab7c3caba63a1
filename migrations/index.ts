import type { DataSource } from 'typeorm';

import { createDataSource } from '#libs/ledger';

import { CreateAuditTrail1795300000000 } from './1795300000000-CreateAuditTrail.js';
import { LeanAuditIndexes1795304200000 } from './1795304200000-LeanAuditIndexes.js';

/**
 * Migrations are listed rather than found by a file glob: a glob would need different patterns for the compiled
 * JavaScript and for the TypeScript sources that tests run.
 */
export const MIGRATIONS = [CreateAuditTrail1795300000000, LeanAuditIndexes1795304200000];

/**
 * The DataSource that migrations run through: as the connecting user, never switched to the writer role, because
 * the migrations create the tables and the role. The caller passes the URL from its validated configuration;
 * nothing here reads the environment.
 */
export function createMigrationDataSource(databaseUrl: string): DataSource {
  return createDataSource(databaseUrl, {
    asWriter: false,
    migrations: MIGRATIONS,
    poolSize: 2,
    applicationName: 'disclosure-audit-migrations',
  });
}

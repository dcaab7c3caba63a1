import pg from 'pg';

import type { LedgerFlag, LedgerRecord } from '#libs/ledger';
import { createMigrationDataSource } from '#migrations';

import { disclosureEvent } from './event-factory.js';

/**
 * The database that test set-up connects to in order to create and drop the tests' own databases: the one the
 * integration set-up provides (DATABASE_URL), so that ledger tests run on the same server as the others.
 */
export const TEST_ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ||
  process.env.DATABASE_URL ||
  'postgres://postgres@127.0.0.1:5432/test';

/** An arbitrary constant: serialises migration runs on one database across test workers. */
const MIGRATION_LOCK_KEY = 7_240_318;

export function databaseUrlFor(databaseName: string, adminUrl: string = TEST_ADMIN_DATABASE_URL): string {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

/** Drops (disconnecting its sessions) and creates an empty database; returns its URL. */
export async function recreateTestDatabase(
  databaseName: string,
  adminUrl: string = TEST_ADMIN_DATABASE_URL,
): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) {
    throw new Error(`not a plain database name: ${databaseName}`);
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.end();
  }
  return databaseUrlFor(databaseName, adminUrl);
}

export interface RunDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test run, named `<prefix>_<pid>`. Several people (or CI jobs) share one Postgres, and a
 * fixed name would let one run drop the database under another that is still using it. Databases that earlier runs
 * on this machine left behind (their process is gone) are dropped first.
 */
export async function createRunDatabase(
  prefix: string,
  adminUrl: string = TEST_ADMIN_DATABASE_URL,
): Promise<RunDatabase> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const existing = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 || '\\_%'",
      [prefix],
    );
    for (const { datname } of existing.rows) {
      const suffix = datname.slice(prefix.length + 1);
      if (!datname.startsWith(`${prefix}_`) || !/^\d+$/.test(suffix)) continue;
      const pid = Number(suffix);
      if (pid !== process.pid && !isProcessAlive(pid)) {
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
    }
  } finally {
    await admin.end();
  }
  const name = `${prefix}_${process.pid}`;
  const url = await recreateTestDatabase(name, adminUrl);
  return {
    url,
    name,
    drop: async () => {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Brings a database up to the latest migration; running it again does nothing. Jest workers that share a database
 * take turns, because two migration runs at once would both try to create the same tables.
 */
export async function migrateTestDatabase(databaseUrl: string): Promise<void> {
  const lockHolder = new pg.Client({ connectionString: databaseUrl });
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = createMigrationDataSource(databaseUrl);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lockHolder.end();
  }
}

let lastOffset = 0;

export interface LedgerRecordOptions {
  topic?: string;
  partition?: number;
  offset?: string;
  timestamp?: string;
  headers?: Record<string, string>;
  key?: Buffer | null;
  event?: Record<string, unknown>;
  flags?: LedgerFlag[];
  notice?: string | null;
}

/**
 * A compliant disclosure as the auditor would hand it to the ledger (flagged when flags are given). Each call takes
 * a new offset, so records are distinct messages unless the test says otherwise.
 */
export function disclosureRecord(options: LedgerRecordOptions = {}): LedgerRecord {
  const event = options.event ?? (disclosureEvent() as unknown as Record<string, unknown>);
  const flags = options.flags ?? [];
  return {
    source: sourceOf(options),
    kind: 'disclosure',
    eventId: event.eventId as string,
    verdict: flags.length > 0 ? 'flagged' : 'compliant',
    flags,
    errors: [],
    notice: options.notice === undefined ? 'housing' : options.notice,
    register: { versionId: 'register-test-1', contentHash: 'c'.repeat(64) },
    event,
    raw: Buffer.from(JSON.stringify(event), 'utf8'),
  };
}

/** A message the checker refused, with its original bytes and reasons. */
export function rejectedRecord(
  options: LedgerRecordOptions & { raw?: Buffer; errors?: string[]; eventId?: string | null } = {},
): LedgerRecord {
  return {
    source: sourceOf(options),
    kind: 'rejected',
    eventId: options.eventId ?? null,
    verdict: 'rejected',
    flags: [],
    errors: options.errors ?? ['the message is not JSON'],
    notice: null,
    register: { versionId: 'register-test-1', contentHash: 'c'.repeat(64) },
    event: null,
    raw: options.raw ?? Buffer.from('not json at all', 'utf8'),
  };
}

function sourceOf(options: LedgerRecordOptions): LedgerRecord['source'] {
  lastOffset++;
  return {
    topic: options.topic ?? 'disclosures.v1',
    partition: options.partition ?? 0,
    offset: options.offset ?? String(lastOffset),
    timestamp: options.timestamp ?? new Date(Date.UTC(2026, 9, 1, 10, 0, 0) + lastOffset).toISOString(),
    headers: options.headers ?? { 'content-type': 'application/json' },
    key: options.key ?? null,
  };
}

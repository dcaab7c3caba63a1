import type { DataSource } from 'typeorm';

import { createDataSource, LedgerRepository, type LedgerRecord } from '#libs/ledger/src/index.js';
import { disclosureEvent, without } from '#libs/testing/src/event-factory.js';
import {
  disclosureRecord,
  migrateTestDatabase,
  createRunDatabase,
  type RunDatabase,
} from '#libs/testing/src/ledger-test-database.js';

/**
 * Measures appendBatch with batches of 1,000 records, as the auditor sends them, and prints rows per second.
 * The floor asserted is far below what the ledger does, so that it fails only when batching is broken (e.g. a
 * round trip per row), not when the machine is busy.
 */
const DATABASE_PREFIX = 'disclosure_audit_ledger_bench';
const BATCH_SIZE = 1_000;
const BATCHES = 30;
const PARTITIONS = 3;
const FLOOR_ROWS_PER_SECOND = 1_000;

let database: RunDatabase;
let dataSource: DataSource;
let ledger: LedgerRepository;

beforeAll(async () => {
  database = await createRunDatabase(DATABASE_PREFIX);
  const databaseUrl = database.url;
  await migrateTestDatabase(databaseUrl);
  dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  ledger = new LedgerRepository(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

/** A typical event of about 400 bytes: the required fields and a few optional ones. */
function leanEvent(): Record<string, unknown> {
  let event = disclosureEvent();
  for (const path of [
    ['actor'],
    ['safeguards'],
    ['collectedAt'],
    ['controller'],
    ['lawfulBasis', 'legislation'],
  ]) {
    event = without(event, ...path);
  }
  return event as unknown as Record<string, unknown>;
}

function batch(partitions: readonly number[]): LedgerRecord[] {
  return Array.from({ length: BATCH_SIZE }, (_, index) => {
    const partition = partitions[index % partitions.length];
    // One in ten flagged, so the outbox insert is part of what is measured.
    const flags = index % 10 === 0 ? [{ code: 'RECIPIENT_UNKNOWN', severity: 'medium', message: 'x' }] : [];
    return disclosureRecord({ partition, event: leanEvent(), flags });
  });
}

async function rowsPerSecond(run: () => Promise<number>): Promise<{ rows: number; perSecond: number }> {
  const started = process.hrtime.bigint();
  const rows = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows, perSecond: Math.round(rows / seconds) };
}

describe('ledger throughput', () => {
  it('appends batches of 1,000 records spanning partitions, one writer', async () => {
    const batches = Array.from({ length: BATCHES }, () => batch([0, 1, 2]));
    const eventBytes = Buffer.byteLength(JSON.stringify(batches[0][1].event));
    expect(eventBytes).toBeGreaterThan(350);
    expect(eventBytes).toBeLessThan(450);
    await ledger.appendBatch(batch([0, 1, 2])); // warm the pool and the plans

    const measured = await rowsPerSecond(async () => {
      let appended = 0;
      for (const records of batches) appended += (await ledger.appendBatch(records)).appended;
      return appended;
    });

    console.log(
      `appendBatch, one writer: ${measured.rows} rows of ~${eventBytes}-byte events in batches of ${BATCH_SIZE}: ` +
        `${measured.perSecond} rows/s`,
    );
    expect(measured.rows).toBe(BATCHES * BATCH_SIZE);
    expect(measured.perSecond).toBeGreaterThan(FLOOR_ROWS_PER_SECOND);
  });

  it('appends with one writer per partition at once', async () => {
    const perWriter = Array.from({ length: PARTITIONS }, (_, partition) =>
      Array.from({ length: BATCHES / PARTITIONS }, () => batch([partition + 10])),
    );

    const measured = await rowsPerSecond(async () => {
      const counts = await Promise.all(
        perWriter.map(async (batches) => {
          let appended = 0;
          for (const records of batches) appended += (await ledger.appendBatch(records)).appended;
          return appended;
        }),
      );
      return counts.reduce((sum, count) => sum + count, 0);
    });

    console.log(
      `appendBatch, ${PARTITIONS} concurrent writers: ${measured.rows} rows: ${measured.perSecond} rows/s`,
    );
    expect(measured.rows).toBe(BATCHES * BATCH_SIZE);
    expect(measured.perSecond).toBeGreaterThan(FLOOR_ROWS_PER_SECOND);
  });

  it('verifies everything that was appended', async () => {
    let report!: Awaited<ReturnType<LedgerRepository['verifyChains']>>;
    const measured = await rowsPerSecond(async () => {
      report = await ledger.verifyChains();
      return report.entries;
    });

    console.log(`verifyChains: ${measured.rows} entries: ${measured.perSecond} entries/s`);
    expect(report).toEqual({
      ok: true,
      chains: 2 * PARTITIONS,
      entries: (2 * BATCHES + 1) * BATCH_SIZE,
      mismatches: 0,
    });
  });
});

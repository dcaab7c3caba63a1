/**
 * Measures LedgerRepository.appendBatch outside jest, so that a CPU profile (`node --cpu-prof`) shows the ledger
 * and not the test runner: batches of 1,000 ~400-byte disclosures (one in ten flagged), first one writer spanning
 * three partitions, then three writers at once, each on its own partition. It creates and drops its own database.
 *
 *   npm run bench:ledger [-- batches]
 */
import { createDataSource, LedgerRepository, type LedgerRecord } from '#libs/ledger';
import {
  disclosureEvent,
  without,
  createRunDatabase,
  disclosureRecord,
  migrateTestDatabase,
} from '#libs/testing';

const BATCH_SIZE = 1_000;
const WRITERS = 3;

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
    const flags = index % 10 === 0 ? [{ code: 'RECIPIENT_UNKNOWN', severity: 'medium', message: 'x' }] : [];
    return disclosureRecord({ partition: partitions[index % partitions.length], event: leanEvent(), flags });
  });
}

async function timed(label: string, run: () => Promise<number>): Promise<void> {
  const started = process.hrtime.bigint();
  const rows = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label}: ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s`);
}

async function main(): Promise<void> {
  const batches = Number(process.argv[2] ?? 30);
  const database = await createRunDatabase('disclosure_audit_ledger_perf');
  const dataSource = createDataSource(database.url);
  try {
    await migrateTestDatabase(database.url);
    await dataSource.initialize();
    const ledger = new LedgerRepository(dataSource);
    await ledger.appendBatch(batch([0, 1, 2]));

    const oneWriter = Array.from({ length: batches }, () => batch([0, 1, 2]));
    await timed('one writer', async () => {
      let appended = 0;
      for (const records of oneWriter) appended += (await ledger.appendBatch(records)).appended;
      return appended;
    });

    const perWriter = Array.from({ length: WRITERS }, (_, writer) =>
      Array.from({ length: Math.ceil(batches / WRITERS) }, () => batch([writer + 10])),
    );
    await timed(`${WRITERS} concurrent writers`, async () => {
      const counts = await Promise.all(
        perWriter.map(async (writerBatches) => {
          let appended = 0;
          for (const records of writerBatches) appended += (await ledger.appendBatch(records)).appended;
          return appended;
        }),
      );
      return counts.reduce((sum, count) => sum + count, 0);
    });

    const report = await ledger.verifyChains();
    console.log(`verify: ok=${report.ok} entries=${report.entries} mismatches=${report.mismatches}`);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}

await main();

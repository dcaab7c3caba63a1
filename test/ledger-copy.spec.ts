import pg from 'pg';
import type { DataSource } from 'typeorm';

import { createDataSource, LedgerRepository } from '#libs/ledger';
import {
  disclosureEvent,
  createRunDatabase,
  disclosureRecord,
  migrateTestDatabase,
  rejectedRecord,
  type RunDatabase,
} from '#libs/testing';

/**
 * The ledger writes entries with COPY in text format, which gives backslash, tab, line feed and carriage return a
 * meaning of their own; these tests send values full of them and check that the trail holds them unchanged.
 */
let database: RunDatabase;
let dataSource: DataSource;
let ledger: LedgerRepository;
let superuser: pg.Client;

beforeAll(async () => {
  database = await createRunDatabase('disclosure_audit_ledger_copy');
  await migrateTestDatabase(database.url);
  dataSource = createDataSource(database.url);
  await dataSource.initialize();
  ledger = new LedgerRepository(dataSource);
  superuser = new pg.Client({ connectionString: database.url });
  await superuser.connect();
});

afterAll(async () => {
  await superuser?.end();
  await dataSource?.destroy();
  await database?.drop();
});

const awkward = 'tab\there, line\nfeed, return\r, back\\slash, \\N, \\x41, "quoted", ünïcode 😀, \u2028';

describe('appending through COPY', () => {
  it('keeps every character of the event, the headers, the flags and the raw bytes', async () => {
    const event = {
      ...disclosureEvent(),
      purpose: awkward,
      [`member\t${awkward}`]: [awkward, 1.5, -0, 1e21, true, null],
    } as unknown as Record<string, unknown>;
    const disclosure = disclosureRecord({
      event,
      headers: { trace: awkward, [`h\n${awkward}`]: '\\' },
      flags: [{ code: 'C', severity: 'high', message: awkward }],
      notice: awkward,
    });
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
    const rejected = rejectedRecord({ raw: allBytes, errors: [awkward] });

    const result = await ledger.appendBatch([disclosure, rejected]);
    expect(result.appended).toBe(2);

    const trail = await ledger.readTrail({ limit: 10 });
    expect(trail).toHaveLength(2);
    expect(trail[0].event).toEqual(JSON.parse(JSON.stringify(event)));
    expect(trail[0].headers).toEqual(disclosure.source.headers);
    expect(trail[0].flags).toEqual(disclosure.flags);
    expect(trail[0].notice).toBe(awkward);
    expect(trail[1].raw).toEqual(allBytes);
    expect(trail[1].errors).toEqual([awkward]);
    expect(await ledger.verifyChains()).toMatchObject({
      ok: true,
      entries: 2,
      mismatches: 0,
    });
  });

  it('still refuses hashes that are not 64 lower-case hex digits', async () => {
    const insert = (hash: string) =>
      superuser.query(
        `INSERT INTO audit_entry (chain_id, chain_seq, kind, verdict, flags, errors, register_version, register_hash,
           topic, kafka_partition, kafka_offset, received_at, headers, prev_hash, entry_hash)
         VALUES ('t/0', 1, 'rejected', 'rejected', '[]', '[]', 'v', 'h', 't', 0, 1, now(), '{}', $1, $1)`,
        [hash],
      );
    for (const bad of [
      'A'.repeat(64),
      'a'.repeat(63),
      'a'.repeat(65),
      `${'a'.repeat(63)}g`,
      `${'a'.repeat(64)}\n`,
    ]) {
      await expect(insert(bad)).rejects.toThrow(
        /violates check constraint "audit_entry_(prev|entry)_hash_check"/,
      );
    }
    await superuser.query('BEGIN');
    try {
      await expect(insert('0123456789abcdef'.repeat(4))).resolves.toMatchObject({ rowCount: 1 });
    } finally {
      await superuser.query('ROLLBACK');
    }
  });

  it('treats a batch of nothing but redeliveries as duplicates without writing', async () => {
    const record = disclosureRecord();
    await ledger.appendBatch([record]);
    const again = await ledger.appendBatch([record, record]);
    expect(again).toMatchObject({ appended: 0, duplicates: 2, redelivered: 2 });
  });
});

import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { DataSource } from 'typeorm';

import {
  assertWriterRole,
  computeEntryHash,
  createDataSource,
  LEDGER_WRITER_ROLE,
  LedgerErrorCode,
  LedgerException,
  LedgerModule,
  LedgerRepository,
  type LedgerRecord,
} from '#libs/ledger';
import { createMigrationDataSource } from '#migrations';
import {
  disclosureRecord,
  migrateTestDatabase,
  createRunDatabase,
  type RunDatabase,
  rejectedRecord,
} from '#libs/testing';

const DATABASE_PREFIX = 'disclosure_audit_ledger_test';
const flag = {
  code: 'RECIPIENT_NOT_IN_NOTICE',
  severity: 'high',
  message: 'the housing notice does not name them',
};

let database: RunDatabase;
let databaseUrl: string;
let dataSource: DataSource;
let ledger: LedgerRepository;
/** A superuser session that does not switch role: the owner's view of the tables. */
let superuser: pg.Client;

async function ledgerError(promise: Promise<unknown>): Promise<LedgerException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LedgerException) return error;
    throw error;
  }
  throw new Error('the ledger call succeeded');
}

async function rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await superuser.query(sql, params)).rows as Record<string, unknown>[];
}

/** Resolves once some session of the test database is blocked on a lock (the append waiting on the unique index). */
async function waitUntilABackendWaitsOnALock(): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [waiting] = await rows(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (waiting.n === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the append never waited for the other writer');
}

/** Empties the trail the only way it can be emptied: as a superuser who first disables its triggers. */
async function wipeTrail(): Promise<void> {
  await superuser.query('BEGIN');
  await superuser.query('ALTER TABLE audit_entry DISABLE TRIGGER USER');
  await superuser.query('TRUNCATE audit_entry, outbox');
  await superuser.query('ALTER TABLE audit_entry ENABLE TRIGGER USER');
  await superuser.query('COMMIT');
}

beforeAll(async () => {
  database = await createRunDatabase(DATABASE_PREFIX);
  databaseUrl = database.url;
  await migrateTestDatabase(databaseUrl);
  superuser = new pg.Client({ connectionString: databaseUrl });
  await superuser.connect();
  dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  ledger = new LedgerRepository(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await superuser?.end();
  await database?.drop();
});

describe('ledger against Postgres', () => {
  beforeEach(wipeTrail);

  it('runs as the writer role although the URL names a superuser', async () => {
    const [who] = await dataSource.query<{ role: string; login: string }[]>(
      'SELECT current_user AS role, session_user AS login',
    );
    const [superuserCheck] = await rows('SELECT rolsuper FROM pg_roles WHERE rolname = $1', [who.login]);

    expect(who.role).toBe(LEDGER_WRITER_ROLE);
    expect(superuserCheck.rolsuper).toBe(true);
    await expect(assertWriterRole(dataSource)).resolves.toBeUndefined();
  });

  it('keeps the writer role on every pooled connection, after RESET ROLE, and with options in the URL', async () => {
    const withOptions = createDataSource(`${databaseUrl}?options=-c%20statement_timeout%3D4321`, {
      poolSize: 3,
    });
    await withOptions.initialize();
    try {
      const runners = [
        withOptions.createQueryRunner(),
        withOptions.createQueryRunner(),
        withOptions.createQueryRunner(),
      ];
      for (const runner of runners) await runner.connect();
      for (const runner of runners) {
        await runner.query('RESET ROLE');
        const [state] = (await runner.query(
          "SELECT current_user AS role, current_setting('statement_timeout') AS timeout",
        )) as { role: string; timeout: string }[];
        expect(state).toEqual({ role: LEDGER_WRITER_ROLE, timeout: '4321ms' });
      }
      for (const runner of runners) await runner.release();
    } finally {
      await withOptions.destroy();
    }
  });

  it('answers a ping while the database is reachable, and reports a failure once it is not', async () => {
    await expect(ledger.ping()).resolves.toBeUndefined();
    const closed = createDataSource(databaseUrl, { poolSize: 1 });
    await closed.initialize();
    await closed.destroy();

    const error = await ledgerError(new LedgerRepository(closed).ping());

    expect(error.code).toBe(LedgerErrorCode.DATABASE_FAILURE);
  });

  it('refuses to count as the writer when the connection is not switched', async () => {
    const unswitched = createMigrationDataSource(databaseUrl);
    await unswitched.initialize();
    try {
      const error = await ledgerError(assertWriterRole(unswitched));
      expect(error.code).toBe(LedgerErrorCode.WRITER_ROLE_NOT_ACTIVE);
    } finally {
      await unswitched.destroy();
    }
  });

  it('appends a batch spanning partitions as chained entries', async () => {
    const records = [
      disclosureRecord({ partition: 0 }),
      disclosureRecord({ partition: 1 }),
      rejectedRecord({ partition: 0 }),
      disclosureRecord({ partition: 0, flags: [flag] }),
    ];

    const result = await ledger.appendBatch(records);

    expect(result).toMatchObject({ appended: 4, duplicates: 0, conflicts: 0 });
    expect(result.entries.map((entry) => [entry.chainId, entry.seq, entry.kind, entry.verdict])).toEqual([
      ['disclosures.v1/0', 1, 'disclosure', 'compliant'],
      ['disclosures.v1/1', 1, 'disclosure', 'compliant'],
      ['disclosures.v1/0', 2, 'rejected', 'rejected'],
      ['disclosures.v1/0', 3, 'disclosure', 'flagged'],
    ]);
    const stored = await rows(
      "SELECT chain_seq, prev_hash, entry_hash FROM audit_entry WHERE chain_id = 'disclosures.v1/0' ORDER BY chain_seq",
    );
    expect(stored[0].prev_hash).toBe('0'.repeat(64));
    expect(stored[1].prev_hash).toBe(stored[0].entry_hash);
    expect(stored[2].prev_hash).toBe(stored[1].entry_hash);
    expect(stored.map((row) => row.entry_hash)).toEqual(
      result.entries.filter((entry) => entry.chainId.endsWith('/0')).map((entry) => entry.entryHash),
    );

    const next = await ledger.appendBatch([disclosureRecord({ partition: 1 })]);
    expect(next.entries[0]).toMatchObject({ seq: 2 });
    expect(await ledger.verifyChains()).toEqual({ ok: true, chains: 2, entries: 5, mismatches: 0 });
  });

  it('records a redelivered message once', async () => {
    const batch = [disclosureRecord(), rejectedRecord(), disclosureRecord({ partition: 2 })];
    await ledger.appendBatch(batch);

    const again = await ledger.appendBatch(batch);

    expect(again).toMatchObject({ appended: 0, duplicates: 3, redelivered: 3, entries: [] });
    expect(await rows('SELECT count(*)::int AS n FROM audit_entry')).toEqual([{ n: 3 }]);
    expect(await rows('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 1 }]);
  });

  it('treats the same eventId with the same content as a duplicate, whatever the member order', async () => {
    const original = disclosureRecord({ partition: 0 });
    await ledger.appendBatch([original]);
    const reordered = Object.fromEntries(Object.entries(original.event!).reverse());

    const again = await ledger.appendBatch([
      disclosureRecord({ partition: 1, event: reordered }),
      {
        ...disclosureRecord({ partition: 1, event: original.event! }),
        eventId: original.eventId!.toUpperCase(),
      },
    ]);

    expect(again).toMatchObject({ appended: 0, duplicates: 2, redelivered: 0 });
  });

  it('keeps a conflicting event beside the first and leaves the first untouched', async () => {
    const original = disclosureRecord({ partition: 0 });
    await ledger.appendBatch([original]);
    const [before] = await rows('SELECT * FROM audit_entry WHERE event_id = $1', [original.eventId]);
    const changed = disclosureRecord({ partition: 1, event: { ...original.event!, recordCount: 250 } });

    const result = await ledger.appendBatch([changed]);

    expect(result).toMatchObject({ appended: 1, conflicts: 1 });
    expect(result.entries[0]).toMatchObject({ kind: 'conflict', eventId: original.eventId });
    const stored = await rows('SELECT * FROM audit_entry WHERE event_id = $1 ORDER BY id', [
      original.eventId,
    ]);
    expect(stored.map((row) => row.kind)).toEqual(['disclosure', 'conflict']);
    expect(stored[0]).toEqual(before);
    expect((stored[1].event as { recordCount: number }).recordCount).toBe(250);
    expect(await ledger.countByVerdict()).toEqual({ compliant: 1, flagged: 0, rejected: 0, conflicts: 1 });
  });

  it('writes outbox messages for flagged and rejected records with their trail entries', async () => {
    const flagged = disclosureRecord({ flags: [flag] });
    const rejected = rejectedRecord({
      raw: Buffer.from([0x7b, 0xff, 0x00]),
      errors: ['not UTF-8'],
      offset: '90001',
    });

    const result = await ledger.appendBatch([disclosureRecord(), flagged, rejected]);

    const outbox = await ledger.claimOutbox(10);
    expect(outbox.map((message) => message.topic)).toEqual(['disclosures.flagged.v1', 'disclosures.dlq.v1']);
    const flaggedValue = JSON.parse(outbox[0].value.toString()) as { trail: unknown; eventId: string };
    expect(flaggedValue.eventId).toBe(flagged.eventId);
    expect(flaggedValue.trail).toEqual({
      chain: 'disclosures.v1/0',
      seq: 2,
      entryHash: result.entries[1].entryHash,
    });
    expect(outbox[1].value.equals(rejected.raw)).toBe(true);
    expect(outbox[1].headers).toMatchObject({
      'x-reject-reasons': '["not UTF-8"]',
      'x-source-offset': '90001',
      'content-type': 'application/json',
    });
  });

  it('writes neither entries nor outbox messages when the outbox insert fails', async () => {
    await superuser.query(
      "ALTER TABLE outbox ADD CONSTRAINT test_refuse_dead_letters CHECK (topic <> 'disclosures.dlq.v1')",
    );
    try {
      const error = await ledgerError(ledger.appendBatch([disclosureRecord(), rejectedRecord()]));
      expect(error.code).toBe(LedgerErrorCode.DATABASE_FAILURE);
      expect(error.details.sqlState).toBe('23514');
    } finally {
      await superuser.query('ALTER TABLE outbox DROP CONSTRAINT test_refuse_dead_letters');
    }
    expect(await rows('SELECT count(*)::int AS n FROM audit_entry')).toEqual([{ n: 0 }]);
    expect(await rows('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 0 }]);
  });

  it('reports a concurrent writer of the same new eventId as retryable, and the retry records a conflict', async () => {
    const record = disclosureRecord({ partition: 1 });
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      // Another partition's writer has inserted the same eventId and not yet committed.
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO audit_entry (chain_id, chain_seq, kind, event_id, content_hash, verdict, flags, errors,
           register_version, register_hash, topic, kafka_partition, kafka_offset, received_at, event, headers,
           prev_hash, entry_hash)
         VALUES ('disclosures.v1/7', 1, 'disclosure', $1, $2, 'compliant', '[]', '[]', 'r', 'h', 'disclosures.v1',
           7, 1, now(), '{}', '{}', $3, $3)`,
        [record.eventId, 'e'.repeat(64), '0'.repeat(64)],
      );
      const append = ledgerError(ledger.appendBatch([record]));
      await waitUntilABackendWaitsOnALock();
      await other.query('COMMIT');

      const error = await append;
      expect(error.code).toBe(LedgerErrorCode.CONCURRENT_WRITE);
      expect(error.retryable).toBe(true);
    } finally {
      await other.end();
    }

    const retry = await ledger.appendBatch([record]);
    expect(retry).toMatchObject({ appended: 1, conflicts: 1 });
  });

  it('lets the writer role neither update, delete nor truncate the trail', async () => {
    await ledger.appendBatch([disclosureRecord()]);

    for (const statement of [
      "UPDATE audit_entry SET verdict = 'flagged'",
      'DELETE FROM audit_entry',
      'TRUNCATE audit_entry',
    ]) {
      await expect(dataSource.query(statement)).rejects.toMatchObject({
        driverError: { code: '42501', message: 'permission denied for table audit_entry' },
      });
    }
    expect(await rows("SELECT count(*)::int AS n FROM audit_entry WHERE verdict = 'compliant'")).toEqual([
      { n: 1 },
    ]);
  });

  it('refuses update, delete and truncate to the owner too, by trigger', async () => {
    await ledger.appendBatch([disclosureRecord()]);

    await expect(superuser.query("UPDATE audit_entry SET verdict = 'flagged'")).rejects.toThrow(
      /UPDATE on audit_entry refused: the audit trail is append-only/,
    );
    await expect(superuser.query('DELETE FROM audit_entry')).rejects.toThrow(
      /DELETE on audit_entry refused: the audit trail is append-only/,
    );
    await expect(superuser.query('TRUNCATE audit_entry')).rejects.toThrow(
      /TRUNCATE on audit_entry refused: the audit trail is append-only/,
    );
    expect(await rows('SELECT count(*)::int AS n FROM audit_entry')).toEqual([{ n: 1 }]);
  });

  it('lets the writer lock outbox rows but not change them', async () => {
    await ledger.appendBatch([rejectedRecord()]);

    await expect(dataSource.query("UPDATE outbox SET topic = 'elsewhere'")).rejects.toThrow(
      /UPDATE on outbox refused/,
    );
  });

  it('names exactly the entry a superuser altered behind the triggers', async () => {
    await ledger.appendBatch([disclosureRecord({ partition: 0 }), disclosureRecord({ partition: 1 })]);
    await ledger.appendBatch([
      disclosureRecord({ partition: 0, flags: [flag] }),
      disclosureRecord({ partition: 1 }),
      disclosureRecord({ partition: 1 }),
    ]);
    const [target] = await rows(
      "SELECT id::text AS id, chain_seq::int AS seq, event_id, entry_hash FROM audit_entry WHERE chain_id = 'disclosures.v1/1' AND chain_seq = 2",
    );

    await superuser.query('BEGIN');
    await superuser.query('ALTER TABLE audit_entry DISABLE TRIGGER ALL');
    await superuser.query("UPDATE audit_entry SET verdict = 'flagged' WHERE id = $1", [target.id]);
    await superuser.query('ALTER TABLE audit_entry ENABLE TRIGGER ALL');
    await superuser.query('COMMIT');

    const report = await ledger.verifyChains();

    expect(report).toMatchObject({ ok: false, chains: 2, entries: 5, mismatches: 1 });
    expect(report.firstMismatch).toMatchObject({
      chainId: 'disclosures.v1/1',
      seq: target.seq,
      id: target.id,
      eventId: target.event_id,
      actual: target.entry_hash,
      reason: 'hash-mismatch',
    });
    expect(report.firstMismatch!.expected).not.toBe(target.entry_hash);
  });

  it('finds a deleted entry and a re-hashed one', async () => {
    await ledger.appendBatch([0, 0, 0, 1, 1, 1].map((partition) => disclosureRecord({ partition })));
    const [deleted] = await rows(
      "SELECT id::text AS id FROM audit_entry WHERE chain_id = 'disclosures.v1/0' AND chain_seq = 2",
    );
    const [rewritten] = await rows(
      "SELECT * FROM audit_entry WHERE chain_id = 'disclosures.v1/1' AND chain_seq = 2",
    );
    // A careful tamperer recomputes the altered entry's own hash; the next entry still points at the old one.
    const forgedErrors = ['forged'];
    const forgedHash = computeEntryHash(String(rewritten.prev_hash), {
      chainId: String(rewritten.chain_id),
      chainSeq: 2,
      kind: 'disclosure',
      eventId: String(rewritten.event_id),
      contentHash: String(rewritten.content_hash),
      verdict: 'compliant',
      flags: [],
      errors: forgedErrors,
      noticeCode: rewritten.notice_code as string | null,
      registerVersion: String(rewritten.register_version),
      registerHash: String(rewritten.register_hash),
      topic: String(rewritten.topic),
      kafkaPartition: Number(rewritten.kafka_partition),
      kafkaOffset: String(rewritten.kafka_offset),
      receivedAt: rewritten.received_at as Date,
      event: rewritten.event as Record<string, unknown>,
      raw: null,
      headers: rewritten.headers as Record<string, string>,
    });

    await superuser.query('BEGIN');
    await superuser.query('ALTER TABLE audit_entry DISABLE TRIGGER ALL');
    await superuser.query('DELETE FROM audit_entry WHERE id = $1', [deleted.id]);
    await superuser.query('UPDATE audit_entry SET errors = $1, entry_hash = $2 WHERE id = $3', [
      JSON.stringify(forgedErrors),
      forgedHash,
      rewritten.id,
    ]);
    await superuser.query('ALTER TABLE audit_entry ENABLE TRIGGER ALL');
    await superuser.query('COMMIT');

    const report = await ledger.verifyChains();

    expect(report).toMatchObject({ ok: false, chains: 2, entries: 5, mismatches: 2 });
    expect(report.firstMismatch).toMatchObject({ chainId: 'disclosures.v1/0', seq: 3, reason: 'seq-gap' });
  });

  it('verifies chains longer than one page', async () => {
    for (let batch = 0; batch < 3; batch++) {
      await ledger.appendBatch(
        Array.from({ length: 1_500 }, (_, index) => disclosureRecord({ partition: index % 2 })),
      );
    }

    expect(await ledger.verifyChains()).toEqual({ ok: true, chains: 2, entries: 4_500, mismatches: 0 });
  });

  it('reads the trail oldest first, page by page', async () => {
    const records = [disclosureRecord(), rejectedRecord(), disclosureRecord({ flags: [flag] })];
    await ledger.appendBatch(records);

    const first = await ledger.readTrail({ limit: 2 });
    const rest = await ledger.readTrail({ afterId: first[1].id, limit: 10 });

    expect([...first, ...rest].map((entry) => entry.verdict)).toEqual(['compliant', 'rejected', 'flagged']);
    expect(rest[0]).toMatchObject({
      kind: 'disclosure',
      seq: 3,
      eventId: records[2].eventId,
      flags: [flag],
      notice: 'housing',
      event: records[2].event,
      raw: null,
      offset: records[2].source.offset,
      receivedAt: records[2].source.timestamp,
    });
    expect(first[1].raw?.equals(records[1].raw)).toBe(true);
    expect(await ledger.countByVerdict()).toEqual({ compliant: 1, flagged: 1, rejected: 1, conflicts: 0 });
  });

  it('relays the outbox at least once: kept when publishing fails, deleted when it succeeds', async () => {
    await ledger.appendBatch([rejectedRecord(), rejectedRecord(), rejectedRecord()]);

    await expect(
      ledger.relayOutbox(10, async () => {
        throw new Error('broker down');
      }),
    ).rejects.toThrow();
    expect(await ledger.claimOutbox(10)).toHaveLength(3);

    const published: string[] = [];
    const relayed = await ledger.relayOutbox(2, async (messages) => {
      published.push(...messages.map((message) => message.id));
    });

    expect(relayed).toBe(2);
    const remaining = await ledger.claimOutbox(10);
    expect(remaining.map((message) => message.id)).not.toContain(published[0]);
    expect(remaining).toHaveLength(1);
    expect(await ledger.deleteOutbox(remaining.map((message) => message.id))).toBe(1);
    expect(await ledger.claimOutbox(10)).toEqual([]);
  });

  it('lets concurrent relays share the outbox instead of publishing the same messages', async () => {
    await ledger.appendBatch([rejectedRecord(), rejectedRecord(), rejectedRecord()]);
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstClaimed!: (ids: string[]) => void;
    const firstIds = new Promise<string[]>((resolve) => (firstClaimed = resolve));

    const firstRelay = ledger.relayOutbox(2, async (messages) => {
      firstClaimed(messages.map((message) => message.id));
      await firstHolds;
    });
    const heldByFirst = await firstIds;
    const secondSees = await ledger.claimOutbox(10);
    releaseFirst();
    await firstRelay;

    expect(heldByFirst).toHaveLength(2);
    expect(secondSees).toHaveLength(1);
    expect(heldByFirst).not.toContain(secondSees[0].id);
  });

  it('provides the repository through LedgerModule, on the writer role', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LedgerModule.forRoot({ databaseUrl })],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const fromModule = app.get(LedgerRepository);
      await fromModule.appendBatch([disclosureRecord()]);
      expect(await fromModule.countByVerdict()).toMatchObject({ compliant: 1 });
    } finally {
      await app.close();
    }
  });

  it('refuses records that Postgres could not store faithfully, writing nothing of the batch', async () => {
    const spoilt: LedgerRecord = disclosureRecord();
    spoilt.source.headers = { trace: 'a\u0000b' };

    const error = await ledgerError(ledger.appendBatch([disclosureRecord(), spoilt]));

    expect(error.code).toBe(LedgerErrorCode.INVALID_RECORD);
    expect(error.details.recordIndex).toBe(1);
    expect(await rows('SELECT count(*)::int AS n FROM audit_entry')).toEqual([{ n: 0 }]);
  });
});

describe('ledger migrations', () => {
  it('refuse to drop a trail that holds entries', async () => {
    await ledger.appendBatch([disclosureRecord()]);
    const migrations = createMigrationDataSource(databaseUrl);
    await migrations.initialize();
    try {
      await migrations.undoLastMigration(); // LeanAuditIndexes only swaps indexes and checks
      await expect(migrations.undoLastMigration()).rejects.toThrow(/refusing to drop audit_entry/);
      expect(await rows('SELECT count(*)::int AS n FROM audit_entry')).toEqual([{ n: 1 }]);
      await migrations.runMigrations();
    } finally {
      await migrations.destroy();
    }
  });

  it('go down and up again', async () => {
    await wipeTrail();
    const migrations = createMigrationDataSource(databaseUrl);
    await migrations.initialize();
    try {
      await migrations.undoLastMigration();
      await migrations.undoLastMigration();
      expect(
        await rows("SELECT to_regclass('audit_entry') AS trail, to_regclass('outbox') AS outbox"),
      ).toEqual([{ trail: null, outbox: null }]);

      await migrations.runMigrations();
      await migrateTestDatabase(databaseUrl);
    } finally {
      await migrations.destroy();
    }

    const result = await ledger.appendBatch([disclosureRecord()]);
    expect(result.entries[0]).toMatchObject({ seq: 1 });
    await expect(superuser.query('DELETE FROM audit_entry')).rejects.toThrow(/append-only/);
    expect(await ledger.verifyChains()).toMatchObject({ ok: true, entries: 1 });
  });
});

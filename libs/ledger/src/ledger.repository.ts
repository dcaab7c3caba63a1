import { pipeline } from 'node:stream/promises';

import { Inject, Injectable, Optional } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, MoreThan, QueryFailedError, type EntityManager } from 'typeorm';

import { TOPICS } from '#libs/contracts';

import {
  offsetKey,
  AppendPlanner,
  type ChainHead,
  type KnownEventEntry,
  type LedgerState,
  type PlannedEntry,
  type PlannedOutboxMessage,
} from './append-plan.js';
import { ChainVerifier, type StoredAuditEntry } from './chain-verifier.js';
import {
  AUDIT_ENTRY_COPY_COLUMNS,
  auditEntryCopyRows,
  OUTBOX_COPY_COLUMNS,
  outboxCopyRows,
} from './copy-rows.js';
import { AuditEntryEntity } from './entities/audit-entry.entity.js';
import { LedgerErrorCode, LedgerException } from './ledger.exception.js';
import type {
  AppendResult,
  LedgerRecord,
  OutboxMessage,
  OutputTopics,
  TrailEntry,
  VerdictCounts,
  VerifyReport,
} from './ledger.types.js';
import { normaliseRecords, type NormalisedRecord } from './record-validation.js';

export const LEDGER_OUTPUT_TOPICS = Symbol('LEDGER_OUTPUT_TOPICS');

export const DEFAULT_OUTPUT_TOPICS: OutputTopics = { flagged: TOPICS.flagged, deadLetter: TOPICS.deadLetter };

const VERIFY_PAGE_SIZE = 2_000;

/** Entries per COPY chunk: a few hundred kilobytes, enough to keep the server busy while the next are hashed. */
const COPY_CHUNK_ROWS = 200;

function* copyChunks(firstEntries: PlannedEntry[], planner: AppendPlanner): Generator<Buffer> {
  let entries = firstEntries;
  for (;;) {
    if (entries.length > 0) yield Buffer.from(auditEntryCopyRows(entries), 'utf8');
    if (planner.done) return;
    entries = planner.next(COPY_CHUNK_ROWS);
  }
}

/** SQLSTATEs after which the whole batch can simply be tried again. */
const CONCURRENCY_SQLSTATES: ReadonlyMap<string, string> = new Map([
  ['23505', 'a concurrent writer recorded a clashing entry first'],
  ['40P01', 'deadlock with a concurrent writer'],
  ['40001', 'serialisation failure with a concurrent writer'],
]);

interface AuditEntryRow {
  id: string;
  chain_id: string;
  chain_seq: string;
  kind: StoredAuditEntry['kind'];
  event_id: string | null;
  content_hash: string | null;
  verdict: StoredAuditEntry['verdict'];
  flags: StoredAuditEntry['flags'];
  errors: string[];
  notice_code: string | null;
  register_version: string;
  register_hash: string;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  received_at: Date;
  event: Record<string, unknown> | null;
  raw: Buffer | null;
  headers: Record<string, string>;
  prev_hash: string;
  entry_hash: string;
}

/** One row of the state query: `what` says which of the three questions it answers. */
interface StateRow {
  what: 'head' | 'offset' | 'disclosure' | 'conflict';
  /** chain_id, topic or event_id. */
  text_key: string;
  /** chain_seq, or partition/offset. */
  number_key: string | null;
  /** entry_hash or content_hash. */
  hash: string | null;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
  created_at: Date;
}

/**
 * Every database call of the ledger. Services depend on this class only.
 *
 * Writes are one transaction per batch: the chains' locks, one query for the state, a COPY of the entries and one
 * multi-row INSERT into the outbox, so a batch of a thousand messages costs a handful of round trips. The trail's
 * integrity rules (hash chain, idempotency, outbox) are decided by {@link AppendPlanner} from what is read under
 * the chains' advisory locks.
 */
@Injectable()
export class LedgerRepository {
  private readonly topics: OutputTopics;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(LEDGER_OUTPUT_TOPICS) topics?: OutputTopics,
  ) {
    this.topics = topics ?? DEFAULT_OUTPUT_TOPICS;
  }

  /**
   * Records a batch atomically: all entries and their outbox messages, or nothing. Throws a LedgerException with
   * code CONCURRENT_WRITE when another writer got in first; the caller retries the same batch, which then finds
   * that writer's entries and treats the clashing records as duplicates or conflicts.
   */
  async appendBatch(records: readonly LedgerRecord[]): Promise<AppendResult> {
    const normalised = normaliseRecords(records);
    if (normalised.length === 0) {
      return { appended: 0, duplicates: 0, redelivered: 0, conflicts: 0, entries: [] };
    }
    return this.run(() =>
      this.dataSource.transaction(async (manager) => {
        const chainIds = [...new Set(normalised.map((record) => record.chainId))].sort();
        // One fixed order for every writer, so that two batches sharing chains cannot deadlock on the locks: a
        // function scan returns the array's elements in order, so the locks are taken in that order. The state is
        // read by a later statement, whose snapshot sees whatever a writer that held a lock committed.
        await manager.query(
          'SELECT pg_advisory_xact_lock(hashtext(chain_id)) FROM unnest($1::text[]) AS c(chain_id)',
          [chainIds],
        );
        const state = await this.readState(manager, chainIds, normalised);
        const planner = new AppendPlanner(normalised, state, this.topics);
        await this.insertEntries(manager, planner);
        const { plan } = planner;
        await this.insertOutbox(manager, plan.outbox);
        return {
          appended: plan.entries.length,
          duplicates: plan.duplicates,
          redelivered: plan.redelivered,
          conflicts: plan.conflicts,
          entries: plan.entries.map((entry) => ({
            chainId: entry.chainId,
            seq: entry.chainSeq,
            kind: entry.kind,
            eventId: entry.eventId,
            entryHash: entry.entryHash,
            verdict: entry.verdict,
          })),
        };
      }),
    );
  }

  /** Resolves when the database answers; for health checks. */
  async ping(): Promise<void> {
    await this.run(() => this.dataSource.query('SELECT 1'));
  }

  /** Recomputes every chain in seq order, a page at a time, so the trail's size does not matter. */
  async verifyChains(): Promise<VerifyReport> {
    const verifier = new ChainVerifier();
    let after: { chainId: string; seq: string } | null = null;
    for (;;) {
      const rows: AuditEntryRow[] = await this.run(() =>
        after === null
          ? this.dataSource.query(`${SELECT_ENTRIES} ORDER BY chain_id, chain_seq LIMIT $1`, [
              VERIFY_PAGE_SIZE,
            ])
          : this.dataSource.query(
              `${SELECT_ENTRIES} WHERE (chain_id, chain_seq) > ($2, $3) ORDER BY chain_id, chain_seq LIMIT $1`,
              [VERIFY_PAGE_SIZE, after.chainId, after.seq],
            ),
      );
      for (const row of rows) verifier.accept(storedEntryFromRow(row));
      if (rows.length < VERIFY_PAGE_SIZE) break;
      const last = rows[rows.length - 1];
      after = { chainId: last.chain_id, seq: last.chain_seq };
    }
    return verifier.report();
  }

  /** Trail entries in the order they were recorded, after the given id (exclusive). */
  async readTrail(query: { afterId?: string; limit: number }): Promise<TrailEntry[]> {
    const limit = Math.max(1, Math.min(Math.trunc(query.limit), 10_000));
    const entities = await this.run(() =>
      this.dataSource.getRepository(AuditEntryEntity).find({
        where: query.afterId === undefined ? {} : { id: MoreThan(query.afterId) },
        order: { id: 'ASC' },
        take: limit,
      }),
    );
    return entities.map(trailEntryFromEntity);
  }

  async countByVerdict(): Promise<VerdictCounts> {
    const rows = await this.run(() =>
      this.dataSource
        .getRepository(AuditEntryEntity)
        .createQueryBuilder('entry')
        .select('entry.kind', 'kind')
        .addSelect('entry.verdict', 'verdict')
        .addSelect('count(*)::int', 'count')
        .groupBy('entry.kind')
        .addGroupBy('entry.verdict')
        .getRawMany<{ kind: string; verdict: keyof VerdictCounts; count: number }>(),
    );
    const counts: VerdictCounts = { compliant: 0, flagged: 0, rejected: 0, conflicts: 0 };
    for (const row of rows) {
      if (row.kind === 'conflict') counts.conflicts += row.count;
      else counts[row.verdict] += row.count;
    }
    return counts;
  }

  /**
   * The oldest unpublished messages. Rows being relayed inside {@link relayOutbox} by another instance are skipped;
   * a row read here is not held, so publishing it and then calling {@link deleteOutbox} is at-least-once.
   */
  async claimOutbox(limit: number): Promise<OutboxMessage[]> {
    const rows: OutboxRow[] = await this.run(() =>
      this.dataSource.query(
        'SELECT id, topic, message_key, value, headers, created_at FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [limit],
      ),
    );
    return rows.map(outboxMessageFromRow);
  }

  async deleteOutbox(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.run(() =>
      this.dataSource.query<[unknown, number]>('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [ids]),
    );
    return result[1];
  }

  /**
   * Claims up to `limit` messages, holds their row locks while `publish` runs, and deletes them when it resolves.
   * If `publish` throws, nothing is deleted and the messages are claimed again later (at least once). Concurrent
   * relays skip each other's locked rows, so they share the outbox instead of publishing the same messages.
   */
  async relayOutbox(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    return this.run(() =>
      this.dataSource.transaction(async (manager) => {
        const rows: OutboxRow[] = await manager.query(
          'SELECT id, topic, message_key, value, headers, created_at FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
          [limit],
        );
        if (rows.length === 0) return 0;
        const messages = rows.map(outboxMessageFromRow);
        await publish(messages);
        await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [messages.map((m) => m.id)]);
        return messages.length;
      }),
    );
  }

  /** Chain heads, recorded offsets and known events of the batch, in one round trip. */
  private async readState(
    manager: EntityManager,
    chainIds: readonly string[],
    records: readonly NormalisedRecord[],
  ): Promise<LedgerState> {
    const eventIds = [
      ...new Set(records.flatMap((r) => (r.kind === 'disclosure' && r.eventId !== null ? [r.eventId] : []))),
    ];
    const ranges = offsetRanges(records);
    // Recorded offsets are looked for within each partition's range in the batch: a join of the batch's offsets
    // with audit_entry let the planner hash the whole table, a cost that grew with the trail. Disclosures and
    // conflicts are asked for separately so that each matches the predicate of its partial index.
    const rows: StateRow[] = await manager.query(
      `SELECT 'head' AS what, c.chain_id AS text_key, h.chain_seq::text AS number_key, h.entry_hash AS hash
         FROM unnest($1::text[]) AS c(chain_id)
         CROSS JOIN LATERAL (
           SELECT chain_seq, entry_hash FROM audit_entry a
            WHERE a.chain_id = c.chain_id ORDER BY chain_seq DESC LIMIT 1
         ) AS h
       UNION ALL
       SELECT 'offset', a.topic, a.kafka_partition::text || '/' || a.kafka_offset::text, NULL
         FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[]) AS p(topic, kafka_partition, low, high)
         CROSS JOIN LATERAL (
           SELECT topic, kafka_partition, kafka_offset FROM audit_entry a
            WHERE a.topic = p.topic AND a.kafka_partition = p.kafka_partition
              AND a.kafka_offset BETWEEN p.low AND p.high AND a.kafka_offset = ANY($6::bigint[])
           OFFSET 0
         ) AS a
       UNION ALL
       SELECT 'disclosure', event_id::text, NULL, content_hash FROM audit_entry
        WHERE kind = 'disclosure' AND event_id = ANY($7::uuid[])
       UNION ALL
       SELECT 'conflict', event_id::text, NULL, content_hash FROM audit_entry
        WHERE kind = 'conflict' AND event_id = ANY($7::uuid[])`,
      [
        chainIds,
        ranges.map((range) => range.topic),
        ranges.map((range) => range.partition),
        ranges.map((range) => range.low.toString()),
        ranges.map((range) => range.high.toString()),
        records.map((r) => r.offset),
        eventIds,
      ],
    );

    const heads = new Map<string, ChainHead>();
    const recordedOffsets = new Set<string>();
    const knownEvents = new Map<string, KnownEventEntry[]>();
    for (const row of rows) {
      switch (row.what) {
        case 'head':
          heads.set(row.text_key, { seq: Number(row.number_key), entryHash: row.hash as string });
          break;
        case 'offset': {
          const separator = (row.number_key as string).indexOf('/');
          const partition = Number((row.number_key as string).slice(0, separator));
          recordedOffsets.add(
            offsetKey(row.text_key, partition, (row.number_key as string).slice(separator + 1)),
          );
          break;
        }
        case 'disclosure':
        case 'conflict': {
          const known = knownEvents.get(row.text_key) ?? [];
          known.push({ kind: row.what, contentHash: row.hash as string });
          knownEvents.set(row.text_key, known);
          break;
        }
      }
    }
    return { heads, recordedOffsets, knownEvents };
  }

  /**
   * Plans and writes the entries: COPY into the transaction's own connection, so the rows commit or roll back with
   * the rest of the batch, a chunk at a time, so that the server parses and indexes one chunk while the next is
   * hashed. Leaves the planner done.
   */
  private async insertEntries(manager: EntityManager, planner: AppendPlanner): Promise<void> {
    let firstEntries = planner.next(COPY_CHUNK_ROWS);
    while (firstEntries.length === 0 && !planner.done) firstEntries = planner.next(COPY_CHUNK_ROWS);
    if (firstEntries.length === 0) return;
    const queryRunner = manager.queryRunner;
    if (queryRunner === undefined) throw new Error('insertEntries must run inside a transaction');
    const client = (await queryRunner.connect()) as PoolClient;
    const copy = client.query(
      copyFrom(`COPY audit_entry (${AUDIT_ENTRY_COPY_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT text)`),
    );
    await pipeline(copyChunks(firstEntries, planner), copy);
  }

  /** COPY, like the entries, into the transaction's own connection so that the messages commit with them. */
  private async insertOutbox(
    manager: EntityManager,
    messages: readonly PlannedOutboxMessage[],
  ): Promise<void> {
    if (messages.length === 0) return;
    const queryRunner = manager.queryRunner;
    if (queryRunner === undefined) throw new Error('insertOutbox must run inside a transaction');
    const client = (await queryRunner.connect()) as PoolClient;
    const copy = client.query(
      copyFrom(`COPY outbox (${OUTBOX_COPY_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT text)`),
    );
    await pipeline([Buffer.from(outboxCopyRows(messages), 'utf8')], copy);
  }

  /**
   * Turns driver errors into LedgerExceptions. The driver's error is not kept as the cause: TypeORM's error
   * carries the query parameters, which hold event content, and would reach the logs with it.
   */
  private async run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof LedgerException) throw error;
      const driverError = (error instanceof QueryFailedError ? error.driverError : error) as {
        code?: unknown;
        constraint?: unknown;
      };
      const sqlState = typeof driverError?.code === 'string' ? driverError.code : undefined;
      const constraint = typeof driverError?.constraint === 'string' ? driverError.constraint : undefined;
      const concurrency = sqlState === undefined ? undefined : CONCURRENCY_SQLSTATES.get(sqlState);
      if (concurrency !== undefined) {
        throw new LedgerException(
          LedgerErrorCode.CONCURRENT_WRITE,
          `ledger write not applied: ${concurrency}`,
          {
            sqlState,
            constraint,
          },
        );
      }
      // Data exceptions (class 22) quote the offending value, which may come from an event; the others name only
      // objects (tables, constraints, roles) or the connection, which operators need to see.
      const message = (driverError as { message?: unknown })?.message;
      const summary = typeof message === 'string' && !sqlState?.startsWith('22') ? message : undefined;
      throw new LedgerException(
        LedgerErrorCode.DATABASE_FAILURE,
        `ledger database operation failed${sqlState ? ` (SQLSTATE ${sqlState})` : ''}${summary ? `: ${summary}` : ''}`,
        { sqlState, constraint },
      );
    }
  }
}

interface OffsetRange {
  topic: string;
  partition: number;
  low: bigint;
  high: bigint;
}

/** The lowest and highest offset of the batch in each (topic, partition). */
export function offsetRanges(records: readonly NormalisedRecord[]): OffsetRange[] {
  const ranges = new Map<string, OffsetRange>();
  for (const record of records) {
    const offset = BigInt(record.offset);
    const range = ranges.get(record.chainId);
    if (range === undefined) {
      ranges.set(record.chainId, {
        topic: record.topic,
        partition: record.partition,
        low: offset,
        high: offset,
      });
    } else {
      if (offset < range.low) range.low = offset;
      if (offset > range.high) range.high = offset;
    }
  }
  return [...ranges.values()];
}

const SELECT_ENTRIES = `SELECT id, chain_id, chain_seq, kind, event_id, content_hash, verdict, flags, errors,
  notice_code, register_version, register_hash, topic, kafka_partition, kafka_offset, received_at, event, raw,
  headers, prev_hash, entry_hash FROM audit_entry`;

function storedEntryFromRow(row: AuditEntryRow): StoredAuditEntry {
  return {
    id: String(row.id),
    chainId: row.chain_id,
    chainSeq: Number(row.chain_seq),
    kind: row.kind,
    eventId: row.event_id,
    contentHash: row.content_hash,
    verdict: row.verdict,
    flags: row.flags,
    errors: row.errors,
    noticeCode: row.notice_code,
    registerVersion: row.register_version,
    registerHash: row.register_hash,
    topic: row.topic,
    kafkaPartition: row.kafka_partition,
    kafkaOffset: String(row.kafka_offset),
    receivedAt: row.received_at,
    event: row.event,
    raw: row.raw,
    headers: row.headers,
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
  };
}

function trailEntryFromEntity(entity: AuditEntryEntity): TrailEntry {
  return {
    id: String(entity.id),
    chainId: entity.chainId,
    seq: Number(entity.chainSeq),
    kind: entity.kind,
    eventId: entity.eventId,
    contentHash: entity.contentHash,
    verdict: entity.verdict,
    flags: entity.flags,
    errors: entity.errors,
    notice: entity.noticeCode,
    registerVersion: entity.registerVersion,
    registerHash: entity.registerHash,
    topic: entity.topic,
    partition: entity.kafkaPartition,
    offset: String(entity.kafkaOffset),
    receivedAt: entity.receivedAt.toISOString(),
    recordedAt: entity.recordedAt.toISOString(),
    event: entity.event,
    raw: entity.raw,
    headers: entity.headers,
    prevHash: entity.prevHash,
    entryHash: entity.entryHash,
  };
}

function outboxMessageFromRow(row: OutboxRow): OutboxMessage {
  return {
    id: String(row.id),
    topic: row.topic,
    key: row.message_key,
    value: row.value,
    headers: row.headers,
    createdAt: row.created_at.toISOString(),
  };
}

import { pipeline } from 'node:stream/promises';

import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';

import { TOPICS } from '#libs/contracts';

import {
  AppendPlanner,
  offsetKey,
  type ChainHead,
  type KnownEventEntry,
  type LedgerState,
  type PlannedEntry,
  type PlannedOutboxMessage,
} from '../domain/append-plan.js';
import { normaliseRecords, type NormalisedRecord } from '../domain/record-validation.js';
import type { AppendResult, LedgerRecord, OutputTopics } from '../ledger.types.js';
import {
  AUDIT_ENTRY_COPY_COLUMNS,
  auditEntryCopyRows,
  OUTBOX_COPY_COLUMNS,
  outboxCopyRows,
} from './copy-rows.js';
import { withLedgerErrors } from './driver-errors.js';

export const DEFAULT_OUTPUT_TOPICS: OutputTopics = { flagged: TOPICS.flagged, deadLetter: TOPICS.deadLetter };

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

/**
 * Appends to the trail. Writes are one transaction per batch: the chains' locks, one query for the state, a COPY
 * of the entries and one of the outbox, so a batch of a thousand messages costs a handful of round trips. What is
 * written (hash chain, idempotency, outbox) is decided by the pure {@link AppendPlanner} from what is read under
 * the chains' advisory locks.
 */
export class TrailAppendRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly topics: OutputTopics = DEFAULT_OUTPUT_TOPICS,
  ) {}

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
    return withLedgerErrors(() =>
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
        records.map((r) => r.kafkaOffset),
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
    const offset = BigInt(record.kafkaOffset);
    const range = ranges.get(record.chainId);
    if (range === undefined) {
      ranges.set(record.chainId, {
        topic: record.topic,
        partition: record.kafkaPartition,
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

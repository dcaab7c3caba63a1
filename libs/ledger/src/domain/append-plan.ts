import {
  buildDeadLetterMessage,
  buildFlaggedDisclosureMessage,
  type DisclosureEvent,
  type Flag,
} from '#libs/contracts';

import type { AuditEntry, EntryKind, OutputTopics } from '../ledger.types.js';
import { computeEntryHash, GENESIS_PREV_HASH } from './entry-hash.js';
import type { NormalisedRecord } from './record-validation.js';

export interface ChainHead {
  seq: number;
  entryHash: string;
}

export interface KnownEventEntry {
  kind: 'disclosure' | 'conflict';
  contentHash: string;
}

/** What the database already holds that decides how a batch is recorded; read under the chains' locks. */
export interface LedgerState {
  heads: ReadonlyMap<string, ChainHead>;
  /** Keys made by {@link offsetKey}. */
  recordedOffsets: ReadonlySet<string>;
  /** Disclosure and conflict entries by (lower-case) eventId. */
  knownEvents: ReadonlyMap<string, readonly KnownEventEntry[]>;
}

export interface PlannedEntry extends AuditEntry {
  /** `canonicalJson(event)` (or null), kept so that the row is written from the text that was hashed. */
  canonicalEvent: string | null;
}

export interface PlannedOutboxMessage {
  topic: string;
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
}

export interface AppendPlan {
  entries: PlannedEntry[];
  outbox: PlannedOutboxMessage[];
  duplicates: number;
  redelivered: number;
  conflicts: number;
}

export function offsetKey(topic: string, partition: number, offset: string): string {
  return JSON.stringify([topic, partition, offset]);
}

/**
 * Decides, record by record and in batch order, what is written: a redelivered offset and a repeated event are
 * skipped, an eventId seen before with other content becomes a `conflict` entry, everything else is appended to its
 * chain. Records earlier in the batch count as already recorded for the ones after them.
 */
export function planAppend(
  records: readonly NormalisedRecord[],
  state: LedgerState,
  topics: OutputTopics,
): AppendPlan {
  const planner = new AppendPlanner(records, state, topics);
  while (!planner.done) planner.next(records.length);
  return planner.plan;
}

/**
 * {@link planAppend} a slice at a time, so that the entries planned so far can be on their way to the database
 * while the rest are hashed. `plan` holds everything decided so far; it is the whole plan once `done`.
 */
export class AppendPlanner {
  readonly plan: AppendPlan = { entries: [], outbox: [], duplicates: 0, redelivered: 0, conflicts: 0 };
  private readonly heads: Map<string, ChainHead>;
  private readonly seenOffsets: Set<string>;
  private readonly knownEvents = new Map<string, KnownEventEntry[]>();
  private position = 0;

  constructor(
    private readonly records: readonly NormalisedRecord[],
    state: LedgerState,
    private readonly topics: OutputTopics,
  ) {
    this.heads = new Map(state.heads);
    this.seenOffsets = new Set(state.recordedOffsets);
    for (const [eventId, known] of state.knownEvents) this.knownEvents.set(eventId, [...known]);
  }

  get done(): boolean {
    return this.position >= this.records.length;
  }

  /** Plans up to `limit` more records; returns the entries among them (skipped records have none). */
  next(limit: number): PlannedEntry[] {
    const planned: PlannedEntry[] = [];
    const end = Math.min(this.records.length, this.position + limit);
    for (; this.position < end; this.position++) {
      const entry = this.planRecord(this.records[this.position]);
      if (entry !== null) planned.push(entry);
    }
    return planned;
  }

  private planRecord(record: NormalisedRecord): PlannedEntry | null {
    const { plan, heads, seenOffsets, knownEvents } = this;
    const sourceKey = offsetKey(record.topic, record.kafkaPartition, record.kafkaOffset);
    if (seenOffsets.has(sourceKey)) {
      plan.duplicates++;
      plan.redelivered++;
      return null;
    }
    seenOffsets.add(sourceKey);

    let kind: EntryKind = record.kind;
    if (record.kind === 'disclosure' && record.eventId !== null && record.contentHash !== null) {
      const known = knownEvents.get(record.eventId) ?? [];
      if (known.some((entry) => entry.contentHash === record.contentHash)) {
        plan.duplicates++;
        return null;
      }
      if (known.some((entry) => entry.kind === 'disclosure')) {
        kind = 'conflict';
        plan.conflicts++;
      }
      known.push({ kind: kind === 'conflict' ? 'conflict' : 'disclosure', contentHash: record.contentHash });
      knownEvents.set(record.eventId, known);
    }

    const head = heads.get(record.chainId) ?? { seq: 0, entryHash: GENESIS_PREV_HASH };
    const entry: PlannedEntry = {
      chainId: record.chainId,
      chainSeq: head.seq + 1,
      kind,
      eventId: record.eventId,
      contentHash: record.contentHash,
      verdict: record.verdict,
      flags: record.flags,
      errors: record.errors,
      noticeCode: record.noticeCode,
      registerVersion: record.registerVersion,
      registerHash: record.registerHash,
      topic: record.topic,
      kafkaPartition: record.kafkaPartition,
      kafkaOffset: record.kafkaOffset,
      receivedAt: record.receivedAt,
      event: record.event,
      // Disclosures are kept as the validated event; the original bytes matter only for what could not be read.
      raw: kind === 'rejected' ? record.raw : null,
      headers: record.headers,
      prevHash: head.entryHash,
      entryHash: '',
      canonicalEvent: record.canonicalEvent,
    };
    // prevHash and entryHash are not hashed fields, so hashing the entry itself is hashing its values.
    entry.entryHash = computeEntryHash(head.entryHash, entry, record.canonicalEvent);
    plan.entries.push(entry);
    heads.set(record.chainId, { seq: entry.chainSeq, entryHash: entry.entryHash });

    const message = outboxMessageFor(entry, record, this.topics);
    if (message !== null) plan.outbox.push(message);
    return entry;
  }
}

/**
 * Only the event of record is published: a conflict stays in the trail for the DPO to investigate, but a second
 * flagged message under the same key would contradict the first for consumers that keep the latest per key.
 */
function outboxMessageFor(
  entry: PlannedEntry,
  record: NormalisedRecord,
  topics: OutputTopics,
): PlannedOutboxMessage | null {
  switch (entry.kind) {
    case 'disclosure':
      return entry.verdict === 'flagged' ? flaggedMessage(entry, topics) : null;
    case 'rejected':
      return deadLetterMessage(record, topics);
    case 'conflict':
      return null;
  }
}

/**
 * The flagged-topic message, built by the contract's builder. The ledger records whatever flags and event it is
 * given; the auditor gives it the checker's flags and the validated event, which is what the contract describes.
 */
function flaggedMessage(entry: PlannedEntry, topics: OutputTopics): PlannedOutboxMessage {
  return {
    topic: topics.flagged,
    ...buildFlaggedDisclosureMessage({
      eventId: entry.eventId as string,
      verdict: 'flagged',
      flags: entry.flags as Flag[],
      notice: entry.noticeCode,
      registerVersion: { id: entry.registerVersion, contentHash: entry.registerHash },
      trail: { chain: entry.chainId, seq: entry.chainSeq, entryHash: entry.entryHash },
      event: entry.event as unknown as DisclosureEvent,
    }),
  };
}

function deadLetterMessage(record: NormalisedRecord, topics: OutputTopics): PlannedOutboxMessage {
  return {
    topic: topics.deadLetter,
    ...buildDeadLetterMessage(
      { key: record.key, value: record.raw, headers: record.headers },
      record.errors,
      {
        topic: record.topic,
        partition: record.kafkaPartition,
        offset: record.kafkaOffset,
      },
    ),
  };
}

/** The public shapes of the ledger: what the auditor hands in and what it gets back. */

export type Verdict = 'compliant' | 'flagged' | 'rejected';
export type RecordKind = 'disclosure' | 'rejected';
/** A `conflict` entry is an event whose eventId was already recorded with different content. */
export type EntryKind = RecordKind | 'conflict';

export interface LedgerFlag {
  code: string;
  severity: string;
  message: string;
}

export interface LedgerRecordSource {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit, so they travel as decimal strings. */
  offset: string;
  /** The Kafka message timestamp (ISO 8601); deterministic, so replaying a topic reproduces the hashes. */
  timestamp: string;
  headers: Record<string, string>;
  /** The original message key; only used to give a dead-lettered message its original key back. */
  key?: Buffer | null;
}

export interface LedgerRecord {
  source: LedgerRecordSource;
  kind: RecordKind;
  eventId: string | null;
  verdict: Verdict;
  flags: LedgerFlag[];
  errors: string[];
  notice: string | null;
  register: { versionId: string; contentHash: string };
  /** The validated event (disclosures). */
  event: Record<string, unknown> | null;
  /** The original message value. */
  raw: Buffer;
}

export interface AppendedEntry {
  chainId: string;
  seq: number;
  kind: EntryKind;
  eventId: string | null;
  entryHash: string;
  verdict: Verdict;
}

export interface AppendResult {
  /** Entries written, conflicts included. */
  appended: number;
  /** Records not written: the same eventId with the same content, or a message whose offset is already recorded. */
  duplicates: number;
  /** The part of `duplicates` that were redeliveries of an already recorded (topic, partition, offset). */
  redelivered: number;
  /** Entries written as kind `conflict`. */
  conflicts: number;
  entries: AppendedEntry[];
}

export type ChainMismatchReason = 'hash-mismatch' | 'prev-hash-mismatch' | 'seq-gap';

export interface ChainMismatch {
  chainId: string;
  seq: number;
  id: string;
  eventId: string | null;
  expected: string;
  actual: string;
  reason: ChainMismatchReason;
}

export interface VerifyReport {
  ok: boolean;
  chains: number;
  entries: number;
  /** How many entries failed a check; verification goes on after the first so that the extent is known. */
  mismatches: number;
  firstMismatch?: ChainMismatch;
}

/**
 * One entry of the audit trail: what the planner hashes and writes, and what is read back to verify or show. The
 * members are the columns of audit_entry in the JavaScript types the pg driver returns them in (bigint chain_seq as
 * a number, the 64-bit kafka_offset as a decimal string).
 */
export interface AuditEntry {
  chainId: string;
  chainSeq: number;
  kind: EntryKind;
  eventId: string | null;
  contentHash: string | null;
  verdict: Verdict;
  flags: LedgerFlag[];
  errors: string[];
  noticeCode: string | null;
  registerVersion: string;
  registerHash: string;
  topic: string;
  kafkaPartition: number;
  kafkaOffset: string;
  receivedAt: Date;
  /** The validated event (disclosures and conflicts). */
  event: Record<string, unknown> | null;
  /** The original message value, kept for rejected messages only. */
  raw: Buffer | null;
  headers: Record<string, string>;
  prevHash: string;
  entryHash: string;
}

/** The members of an entry that its hash covers: everything but the hashes themselves. */
export type AuditEntryValues = Omit<AuditEntry, 'prevHash' | 'entryHash'>;

/** An entry as stored: with the row's id (a bigint, as a decimal string) and when the database recorded it. */
export interface StoredAuditEntry extends AuditEntry {
  id: string;
  recordedAt: Date;
}

export interface VerdictCounts {
  compliant: number;
  flagged: number;
  rejected: number;
  /** Conflict entries, counted apart so that the three verdicts add up to the events of record. */
  conflicts: number;
}

export interface OutboxMessage {
  id: string;
  topic: string;
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
  createdAt: string;
}

export interface OutputTopics {
  flagged: string;
  deadLetter: string;
}

import type { StoredAuditEntry } from '../ledger.types.js';

/** An audit_entry row as the pg driver returns it; mapped to the ledger's one entry type in one place, below. */
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
  recorded_at: Date;
  event: Record<string, unknown> | null;
  raw: Buffer | null;
  headers: Record<string, string>;
  prev_hash: string;
  entry_hash: string;
}

export const SELECT_AUDIT_ENTRIES = `SELECT id, chain_id, chain_seq, kind, event_id, content_hash, verdict, flags,
  errors, notice_code, register_version, register_hash, topic, kafka_partition, kafka_offset, received_at,
  recorded_at, event, raw, headers, prev_hash, entry_hash FROM audit_entry`;

export function auditEntryFromRow(row: AuditEntryRow): StoredAuditEntry {
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
    recordedAt: row.recorded_at,
    event: row.event,
    raw: row.raw,
    headers: row.headers,
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
  };
}

export type { AuditEntryRow };

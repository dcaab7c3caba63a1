import { createHash } from 'node:crypto';

import { canonicalJson } from '#libs/contracts/src/canonical-json.js';
import type { EntryKind, LedgerFlag, Verdict } from './ledger.types.js';

/** The prev_hash of the first entry of every chain. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

/**
 * The values of one audit_entry row that the hash covers, in the JavaScript types the pg driver returns them in.
 * Appending builds this shape and verification reads it back from the database; both go through
 * {@link hashedFields}, so the two sides cannot drift apart.
 */
export interface AuditEntryValues {
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
  event: Record<string, unknown> | null;
  raw: Buffer | null;
  headers: Record<string, string>;
}

/**
 * The object that is canonicalised and hashed: member names are the column names, so that a regulator can hash
 * straight from an export of the table. Types are chosen to survive every JSON implementation: the 64-bit
 * kafka_offset is a decimal string, received_at is ISO 8601 UTC with milliseconds, raw is base64 with padding.
 */
export function hashedFields(values: AuditEntryValues): Record<string, unknown> {
  return {
    chain_id: values.chainId,
    chain_seq: values.chainSeq,
    kind: values.kind,
    event_id: values.eventId,
    content_hash: values.contentHash,
    verdict: values.verdict,
    flags: values.flags,
    errors: values.errors,
    notice_code: values.noticeCode,
    register_version: values.registerVersion,
    register_hash: values.registerHash,
    topic: values.topic,
    kafka_partition: values.kafkaPartition,
    kafka_offset: values.kafkaOffset,
    received_at: values.receivedAt.toISOString(),
    event: values.event,
    raw: values.raw === null ? null : values.raw.toString('base64'),
    headers: values.headers,
  };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The text that is hashed: the previous entry's hash, a line feed, and the canonical JSON of the fields. */
export function entryHashInput(prevHash: string, values: AuditEntryValues): string {
  return `${prevHash}\n${canonicalJson(hashedFields(values))}`;
}

export function computeEntryHash(prevHash: string, values: AuditEntryValues): string {
  return sha256Hex(entryHashInput(prevHash, values));
}

/** Identifies an event's content independently of member order and formatting, for idempotency and conflicts. */
export function contentHashOf(event: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(event));
}

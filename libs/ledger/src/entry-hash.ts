import { hash } from 'node:crypto';

import { canonicalJson } from '#libs/contracts';
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
  // The one-shot form: a Hash object per entry cost about as much as hashing the entry's few hundred bytes.
  return hash('sha256', text, 'hex');
}

/**
 * `canonicalJson(hashedFields(values))`, written member by member in JCS order instead of building and sorting an
 * object per entry. The event is by far the largest member and the ledger has already canonicalised it for its
 * content hash, so a caller that holds that text passes it as `canonicalEvent` and the event is not walked twice.
 * entry-hash.spec.ts checks that both forms give the same text.
 */
export function canonicalHashedFields(values: AuditEntryValues, canonicalEvent?: string | null): string {
  const event = canonicalEvent ?? canonicalJson(values.event);
  return (
    `{"chain_id":${quote(values.chainId)}` +
    `,"chain_seq":${canonicalJson(values.chainSeq)}` +
    `,"content_hash":${quoteOrNull(values.contentHash)}` +
    `,"errors":${canonicalJson(values.errors)}` +
    `,"event":${event}` +
    `,"event_id":${quoteOrNull(values.eventId)}` +
    `,"flags":${canonicalJson(values.flags)}` +
    `,"headers":${canonicalJson(values.headers)}` +
    `,"kafka_offset":${quote(values.kafkaOffset)}` +
    `,"kafka_partition":${canonicalJson(values.kafkaPartition)}` +
    `,"kind":${quote(values.kind)}` +
    `,"notice_code":${quoteOrNull(values.noticeCode)}` +
    `,"raw":${values.raw === null ? 'null' : quote(values.raw.toString('base64'))}` +
    `,"received_at":${quote(values.receivedAt.toISOString())}` +
    `,"register_hash":${quote(values.registerHash)}` +
    `,"register_version":${quote(values.registerVersion)}` +
    `,"topic":${quote(values.topic)}` +
    `,"verdict":${quote(values.verdict)}}`
  );
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * JSON.stringify escapes a string exactly as JCS does, except that it writes an unpaired surrogate as an escape
 * where JCS refuses the string; such strings (and paired surrogates, to keep this simple) take the canonicaliser.
 */
function quote(text: string): string {
  return SURROGATE.test(text) ? canonicalJson(text) : JSON.stringify(text);
}

function quoteOrNull(text: string | null): string {
  return text === null ? 'null' : quote(text);
}

/**
 * The text that is hashed: the previous entry's hash, a line feed, and the canonical JSON of the fields.
 * `canonicalEvent`, when given, must be `canonicalJson(values.event)`.
 */
export function entryHashInput(
  prevHash: string,
  values: AuditEntryValues,
  canonicalEvent?: string | null,
): string {
  return `${prevHash}\n${canonicalHashedFields(values, canonicalEvent)}`;
}

export function computeEntryHash(
  prevHash: string,
  values: AuditEntryValues,
  canonicalEvent?: string | null,
): string {
  return sha256Hex(entryHashInput(prevHash, values, canonicalEvent));
}

/** Identifies an event's content independently of member order and formatting, for idempotency and conflicts. */
export function contentHashOf(event: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(event));
}

/** The event's canonical JSON and its content hash, for callers that reuse the text (for the entry hash and the row). */
export function canonicalEventOf(event: Record<string, unknown>): {
  canonicalEvent: string;
  contentHash: string;
} {
  const canonicalEvent = canonicalJson(event);
  return { canonicalEvent, contentHash: sha256Hex(canonicalEvent) };
}

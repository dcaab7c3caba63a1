import type { PlannedEntry, PlannedOutboxMessage } from '../domain/append-plan.js';

/**
 * Rows in PostgreSQL's COPY text format. COPY sends each value once as plain text, where an INSERT from arrays of
 * parameters made the driver quote and escape every event into an array literal and the server parse it back.
 */

/** The audit_entry columns that {@link auditEntryCopyRows} writes, in its order. */
export const AUDIT_ENTRY_COPY_COLUMNS = [
  'chain_id',
  'chain_seq',
  'kind',
  'event_id',
  'content_hash',
  'verdict',
  'flags',
  'errors',
  'notice_code',
  'register_version',
  'register_hash',
  'topic',
  'kafka_partition',
  'kafka_offset',
  'received_at',
  'event',
  'raw',
  'headers',
  'prev_hash',
  'entry_hash',
] as const;

const COPY_NULL = '\\N';
const NEEDS_COPY_ESCAPE = /[\\\t\n\r]/;
const COPY_ESCAPE_GLOBAL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/**
 * One value of the text format: backslash starts an escape and tab, line feed and carriage return delimit, so those
 * four are escaped; every other character stands for itself.
 */
export function copyText(value: string | null): string {
  if (value === null) return COPY_NULL;
  return NEEDS_COPY_ESCAPE.test(value)
    ? value.replace(COPY_ESCAPE_GLOBAL, (character) => COPY_ESCAPES[character])
    : value;
}

/** bytea in hex form; its leading backslash is itself escaped for the text format. */
export function copyBytea(value: Buffer | null): string {
  return value === null ? COPY_NULL : `\\\\x${value.toString('hex')}`;
}

/** One line per entry, for `COPY audit_entry (AUDIT_ENTRY_COPY_COLUMNS) FROM STDIN`. */
export function auditEntryCopyRows(entries: readonly PlannedEntry[]): string {
  const lines: string[] = [];
  for (const entry of entries) {
    lines.push(
      `${copyText(entry.chainId)}\t${entry.chainSeq}\t${copyText(entry.kind)}\t${copyText(entry.eventId)}\t` +
        `${copyText(entry.contentHash)}\t${copyText(entry.verdict)}\t${copyText(JSON.stringify(entry.flags))}\t` +
        `${copyText(JSON.stringify(entry.errors))}\t${copyText(entry.noticeCode)}\t` +
        `${copyText(entry.registerVersion)}\t${copyText(entry.registerHash)}\t${copyText(entry.topic)}\t` +
        `${entry.kafkaPartition}\t${entry.kafkaOffset}\t${entry.receivedAt.toISOString()}\t` +
        // The canonical text is what was hashed; storing it spares a second serialisation of the event.
        `${copyText(entry.event === null ? null : (entry.canonicalEvent ?? JSON.stringify(entry.event)))}\t` +
        `${copyBytea(entry.raw)}\t${copyText(JSON.stringify(entry.headers))}\t${entry.prevHash}\t${entry.entryHash}\n`,
    );
  }
  return lines.join('');
}

/** The outbox columns that {@link outboxCopyRows} writes, in its order; id and created_at take their defaults. */
export const OUTBOX_COPY_COLUMNS = ['topic', 'message_key', 'value', 'headers'] as const;

/**
 * One line per message, for `COPY outbox (OUTBOX_COPY_COLUMNS) FROM STDIN`. Parameter arrays made the driver build
 * a quoted array literal of every value and header set, which cost more than the rows themselves.
 */
export function outboxCopyRows(messages: readonly PlannedOutboxMessage[]): string {
  let rows = '';
  for (const message of messages) {
    rows +=
      `${copyText(message.topic)}\t${copyBytea(message.key)}\t${copyBytea(message.value)}\t` +
      `${copyText(JSON.stringify(message.headers))}\n`;
  }
  return rows;
}

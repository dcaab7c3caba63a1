import type { KafkaHeaderValue } from '#libs/contracts';

const UNSTORABLE_CHARACTERS =
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text the trail can store. Postgres text and jsonb refuse NUL, and the ledger refuses a whole batch that holds one,
 * so a single hostile header or a parser message quoting a NUL byte would stall the partition forever. Such
 * characters are written as their JSON escape instead, which keeps what was sent visible to the reader.
 */
export function storableText(text: string): string {
  return text.replace(
    UNSTORABLE_CHARACTERS,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Kafka header values as text; a repeated header keeps its last value, as CloudEvents readers do. */
export function headersAsText(headers: Readonly<Record<string, KafkaHeaderValue>>): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    text[storableText(name)] = storableText(Buffer.isBuffer(last) ? last.toString('utf8') : String(last));
  }
  return text;
}

/** A Kafka timestamp (ms since epoch, as text) as ms; a missing or broken one counts as the epoch, as stored. */
export function receivedAtMs(timestamp: string): number {
  const ms = Number(timestamp);
  return Number.isFinite(ms) && ms >= 0 ? ms : 0;
}

/** A Kafka timestamp (ms since epoch, as text) as ISO 8601. */
export function kafkaTimestampIso(timestamp: string): string {
  return new Date(receivedAtMs(timestamp)).toISOString();
}

import type { IHeaders } from 'kafkajs';

/** Kafka header values as text; a repeated header keeps its last value, as CloudEvents readers do. */
export function headersAsText(headers: IHeaders): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    text[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return text;
}

/** A Kafka timestamp (ms since epoch, as text) as ISO 8601. */
export function kafkaTimestampIso(timestamp: string): string {
  const ms = Number(timestamp);
  return new Date(Number.isFinite(ms) && ms >= 0 ? ms : 0).toISOString();
}

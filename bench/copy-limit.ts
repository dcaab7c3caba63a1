/**
 * The physical limit of the trail's storage on this machine: the same events written straight into Postgres with
 * COPY (jsonb column, uuid, unique index), without Kafka or checks.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { mixedEvent } from './event-mix.js';
import { Cleanup, connectClient, createDatabase, perSecond } from './bench-support.js';

export interface CopyResult {
  rows: number;
  rowsPerSec: number;
  seconds: number;
}

/** COPY text format treats backslash as an escape, so JSON's own backslashes must be doubled. */
export function copyTextRow(eventId: string, eventJson: string): string {
  return `${eventId}\t${eventJson.replaceAll('\\', '\\\\')}\n`;
}

export async function runCopyLimit(rows: number, cleanup: Cleanup): Promise<CopyResult> {
  const database = await createDatabase('bench_copy', cleanup);
  const client = await connectClient(database.url, cleanup, 'copy');
  await client.query(`
    CREATE TABLE copy_disclosure (id bigserial PRIMARY KEY, event_id uuid NOT NULL, event jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now());
    CREATE UNIQUE INDEX copy_disclosure_event_id_key ON copy_disclosure (event_id);`);

  // Serialising the events is the producer's work, not the database's, so it happens before the clock starts.
  const chunkRows = 5000;
  const chunks: string[] = [];
  for (let start = 0; start < rows; start += chunkRows) {
    let chunk = '';
    for (let index = start; index < Math.min(rows, start + chunkRows); index++) {
      const event = mixedEvent(index);
      chunk += copyTextRow(event.eventId, JSON.stringify(event));
    }
    chunks.push(chunk);
  }

  const started = Date.now();
  await client.query('BEGIN');
  await pipeline(
    Readable.from(chunks),
    client.query(copyFrom('COPY copy_disclosure (event_id, event) FROM STDIN')),
  );
  await client.query('COMMIT');
  const elapsed = Date.now() - started;

  const { rows: counted } = await client.query<{ count: string }>('SELECT count(*) FROM copy_disclosure');
  if (Number(counted[0].count) !== rows) throw new Error(`COPY stored ${counted[0].count} of ${rows} rows`);
  return { rows, rowsPerSec: perSecond(rows, elapsed), seconds: elapsed / 1000 };
}

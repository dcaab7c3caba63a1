import pg from 'pg';
import type { DataSource } from 'typeorm';

import { createDataSource, LedgerRepository, type VerifyReport } from '#libs/ledger';

export interface TrailRow {
  kind: 'disclosure' | 'rejected' | 'conflict';
  eventId: string | null;
  verdict: 'compliant' | 'flagged' | 'rejected';
  flagCodes: string[];
  errors: string[];
  raw: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
  chainId: string;
  seq: number;
  entryHash: string;
}

/** Reads the audit trail of one test database directly, as its owner, without going through the auditor. */
export class TrailReader {
  private constructor(
    private readonly client: pg.Client,
    private readonly dataSource: DataSource,
  ) {}

  static async open(databaseUrl: string): Promise<TrailReader> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const dataSource = createDataSource(databaseUrl, { poolSize: 2, applicationName: 'e2e-trail-reader' });
    await dataSource.initialize();
    return new TrailReader(client, dataSource);
  }

  async count(topic: string): Promise<number> {
    const { rows } = await this.client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_entry WHERE topic = $1',
      [topic],
    );
    return rows[0].n;
  }

  async rows(topic: string, { withRaw = true }: { withRaw?: boolean } = {}): Promise<TrailRow[]> {
    const { rows } = await this.client.query<{
      kind: TrailRow['kind'];
      event_id: string | null;
      verdict: TrailRow['verdict'];
      flags: { code: string }[];
      errors: string[];
      raw: Buffer | null;
      headers: Record<string, string>;
      kafka_partition: number;
      kafka_offset: string;
      chain_id: string;
      chain_seq: string;
      entry_hash: string;
    }>(
      `SELECT kind, event_id, verdict, flags, errors, ${withRaw ? 'raw' : 'NULL::bytea AS raw'}, headers,
              kafka_partition, kafka_offset::text AS kafka_offset, chain_id, chain_seq::text AS chain_seq, entry_hash
         FROM audit_entry WHERE topic = $1 ORDER BY id`,
      [topic],
    );
    return rows.map((row) => ({
      kind: row.kind,
      eventId: row.event_id,
      verdict: row.verdict,
      flagCodes: row.flags.map((flag) => flag.code),
      errors: row.errors,
      raw: row.raw,
      headers: row.headers,
      partition: row.kafka_partition,
      offset: row.kafka_offset,
      chainId: row.chain_id,
      seq: Number(row.chain_seq),
      entryHash: row.entry_hash,
    }));
  }

  /** Entries by `partition/offset`, the message they record. */
  async byPosition(topic: string): Promise<Map<string, TrailRow>> {
    return new Map((await this.rows(topic)).map((row) => [positionKey(row), row]));
  }

  async verifyChains(): Promise<VerifyReport> {
    return new LedgerRepository(this.dataSource).verifyChains();
  }

  async close(): Promise<void> {
    await this.client.end();
    await this.dataSource.destroy();
  }
}

export function positionKey(position: { partition: number; offset: string }): string {
  return `${position.partition}/${position.offset}`;
}

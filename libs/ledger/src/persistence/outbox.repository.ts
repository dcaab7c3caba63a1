import type { DataSource } from 'typeorm';

import type { OutboxMessage } from '../ledger.types.js';
import { withLedgerErrors } from './driver-errors.js';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
  created_at: Date;
}

/** The outbox: messages committed with their trail entries, waiting to be published. */
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` messages, holds their row locks while `publish` runs, and deletes them when it resolves.
   * If `publish` throws, nothing is deleted and the messages are claimed again later (at least once). Concurrent
   * relays skip each other's locked rows, so they share the outbox instead of publishing the same messages.
   */
  async relay(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    return withLedgerErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const rows: OutboxRow[] = await manager.query(
          'SELECT id, topic, message_key, value, headers, created_at FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
          [limit],
        );
        if (rows.length === 0) return 0;
        const messages = rows.map(outboxMessageFromRow);
        await publish(messages);
        await manager.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [messages.map((m) => m.id)]);
        return messages.length;
      }),
    );
  }
}

function outboxMessageFromRow(row: OutboxRow): OutboxMessage {
  return {
    id: String(row.id),
    topic: row.topic,
    key: row.message_key,
    value: row.value,
    headers: row.headers,
    createdAt: row.created_at.toISOString(),
  };
}

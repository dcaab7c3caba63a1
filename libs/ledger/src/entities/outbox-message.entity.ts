import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A message waiting to be published to Kafka. Written in the same transaction as the trail entry it reports, so a
 * flagged or rejected event is never recorded without its message, nor published without being recorded.
 */
@Entity({ name: 'outbox' })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'message_key', type: 'bytea', nullable: true })
  messageKey!: Buffer | null;

  @Column({ type: 'bytea' })
  value!: Buffer;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

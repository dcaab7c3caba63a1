import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { EntryKind, LedgerFlag, Verdict } from '../ledger.types.js';

/**
 * One row of the audit trail, for reading. Rows are written only by LedgerRepository's multi-row insert and are
 * never updated: the table refuses UPDATE, DELETE and TRUNCATE (see the CreateAuditTrail migration).
 */
@Entity({ name: 'audit_entry' })
export class AuditEntryEntity {
  /** bigint columns arrive as strings: a JavaScript number cannot hold every int8. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'chain_id', type: 'text' })
  chainId!: string;

  @Column({ name: 'chain_seq', type: 'bigint' })
  chainSeq!: string;

  @Column({ type: 'text' })
  kind!: EntryKind;

  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId!: string | null;

  @Column({ name: 'content_hash', type: 'text', nullable: true })
  contentHash!: string | null;

  @Column({ type: 'text' })
  verdict!: Verdict;

  @Column({ type: 'jsonb' })
  flags!: LedgerFlag[];

  @Column({ type: 'jsonb' })
  errors!: string[];

  @Column({ name: 'notice_code', type: 'text', nullable: true })
  noticeCode!: string | null;

  @Column({ name: 'register_version', type: 'text' })
  registerVersion!: string;

  @Column({ name: 'register_hash', type: 'text' })
  registerHash!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'kafka_partition', type: 'int' })
  kafkaPartition!: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  kafkaOffset!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ type: 'jsonb', nullable: true })
  event!: Record<string, unknown> | null;

  @Column({ type: 'bytea', nullable: true })
  raw!: Buffer | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ name: 'entry_hash', type: 'text' })
  entryHash!: string;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per message, as a first version of the service would store it: the event, or why it was refused. */
@Entity({ name: 'baseline_disclosure' })
export class BaselineDisclosure {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId!: string | null;

  @Column({ type: 'text' })
  verdict!: 'accepted' | 'rejected';

  @Column({ type: 'jsonb', nullable: true })
  event!: unknown;

  @Column({ type: 'text', nullable: true })
  raw!: string | null;

  @Column({ type: 'jsonb' })
  errors!: string[];

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}

/**
 * The baseline owns its table; it is created here with plain SQL because it is a benchmark fixture and must never
 * become part of the product's migrations/.
 */
export const CREATE_BASELINE_TABLE = `
  CREATE TABLE IF NOT EXISTS baseline_disclosure (
    id bigserial PRIMARY KEY,
    event_id uuid NULL,
    verdict text NOT NULL,
    event jsonb NULL,
    raw text NULL,
    errors jsonb NOT NULL,
    received_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE UNIQUE INDEX IF NOT EXISTS baseline_disclosure_event_id_key ON baseline_disclosure (event_id);
`;

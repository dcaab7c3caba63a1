import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (audit_entry), its outbox, and the database-enforced rules that make the trail append-only:
 * triggers that refuse UPDATE, DELETE and TRUNCATE whoever runs them, and a writer role that the service runs as,
 * which has no privilege to change a row in the first place. docs/audit-trail.md describes the hash chain.
 */
export class CreateAuditTrail1795300000000 implements MigrationInterface {
  name = 'CreateAuditTrail1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        chain_id text NOT NULL,
        chain_seq bigint NOT NULL CHECK (chain_seq >= 1),
        kind text NOT NULL CHECK (kind IN ('disclosure', 'rejected', 'conflict')),
        event_id uuid NULL,
        content_hash text NULL,
        verdict text NOT NULL CHECK (verdict IN ('compliant', 'flagged', 'rejected')),
        flags jsonb NOT NULL CHECK (jsonb_typeof(flags) = 'array'),
        errors jsonb NOT NULL CHECK (jsonb_typeof(errors) = 'array'),
        notice_code text NULL,
        register_version text NOT NULL,
        register_hash text NOT NULL,
        topic text NOT NULL,
        kafka_partition int NOT NULL CHECK (kafka_partition >= 0),
        kafka_offset bigint NOT NULL CHECK (kafka_offset >= 0),
        received_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        event jsonb NULL,
        raw bytea NULL,
        headers jsonb NOT NULL CHECK (jsonb_typeof(headers) = 'object'),
        prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        entry_hash text NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT audit_entry_chain_seq_key UNIQUE (chain_id, chain_seq),
        -- A message redelivered by Kafka is recorded once.
        CONSTRAINT audit_entry_source_key UNIQUE (topic, kafka_partition, kafka_offset),
        CONSTRAINT audit_entry_chain_is_partition CHECK (chain_id = topic || '/' || kafka_partition),
        CONSTRAINT audit_entry_kind_matches_verdict CHECK (
          (kind = 'rejected' AND verdict = 'rejected')
          OR (kind <> 'rejected' AND verdict <> 'rejected'
              AND event_id IS NOT NULL AND event IS NOT NULL AND content_hash IS NOT NULL)
        )
      );

      -- The idempotency key: an eventId is the event of record once; later different content is a 'conflict' row.
      CREATE UNIQUE INDEX audit_entry_disclosure_event_id_key ON audit_entry (event_id) WHERE kind = 'disclosure';
      CREATE INDEX audit_entry_event_id_idx ON audit_entry (event_id);
      CREATE INDEX audit_entry_verdict_idx ON audit_entry (verdict);
      CREATE INDEX audit_entry_received_at_idx ON audit_entry (received_at);

      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        message_key bytea NULL,
        value bytea NOT NULL,
        headers jsonb NOT NULL CHECK (jsonb_typeof(headers) = 'object'),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '% on % refused: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0]
          USING HINT = 'The audit trail can only be appended to; see docs/audit-trail.md.';
      END
      $fn$;

      CREATE TRIGGER audit_entry_refuse_update_delete BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change('the audit trail is append-only');
      CREATE TRIGGER audit_entry_refuse_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change('the audit trail is append-only');
      -- The writer needs UPDATE on the outbox only because SELECT ... FOR UPDATE requires it; no row is ever changed.
      CREATE TRIGGER outbox_refuse_update BEFORE UPDATE ON outbox
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change('outbox messages are published and deleted, never changed');
    `);

    await queryRunner.query(`
      DO $do$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'disclosure_audit_writer') THEN
          BEGIN
            CREATE ROLE disclosure_audit_writer NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            -- Roles belong to the cluster: a migration of another database created it meanwhile.
            NULL;
          END;
        END IF;
        -- The migrating user must be able to SET ROLE to the writer (superusers already can).
        IF NOT pg_has_role(current_user, 'disclosure_audit_writer', 'MEMBER') THEN
          GRANT disclosure_audit_writer TO CURRENT_USER;
        END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO disclosure_audit_writer', current_schema());
      END
      $do$;

      GRANT SELECT, INSERT ON audit_entry TO disclosure_audit_writer;
      GRANT USAGE ON SEQUENCE audit_entry_id_seq TO disclosure_audit_writer;
      GRANT SELECT, INSERT, UPDATE, DELETE ON outbox TO disclosure_audit_writer;
      GRANT USAGE ON SEQUENCE outbox_id_seq TO disclosure_audit_writer;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // DROP TABLE fires no row or TRUNCATE trigger, so without this a routine revert would erase the evidence.
    await queryRunner.query(`
      DO $do$
      BEGIN
        IF EXISTS (SELECT 1 FROM audit_entry) THEN
          RAISE EXCEPTION 'refusing to drop audit_entry: it holds audit entries'
            USING HINT = 'Archive the trail and remove its rows as a superuser first.';
        END IF;
      END
      $do$;
    `);
    // The role is left in place: it belongs to the whole cluster and may serve other databases.
    await queryRunner.query(`
      DROP TABLE outbox;
      DROP TABLE audit_entry;
      DROP FUNCTION ledger_refuse_change();
      DO $do$
      BEGIN
        EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM disclosure_audit_writer', current_schema());
      END
      $do$;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every index and check on audit_entry is paid for on every append, and appending is the auditor's hot path.
 *
 * The hash columns' format checks keep their meaning (exactly 64 characters, each a lower-case hex digit) but no
 * longer run a regular expression, which cost more per row than everything else the checks do together. Two indexes
 * served no query (verdicts are counted by a full aggregate, and nothing looks entries up by received_at); the
 * index on every event_id was only needed to find conflict entries, which are rare, so a partial index on those
 * replaces it. Disclosures are found through the partial unique index that enforces their idempotency.
 */
export class LeanAuditIndexes1795304200000 implements MigrationInterface {
  name = 'LeanAuditIndexes1795304200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE audit_entry
        DROP CONSTRAINT audit_entry_prev_hash_check,
        DROP CONSTRAINT audit_entry_entry_hash_check,
        ADD CONSTRAINT audit_entry_prev_hash_check
          CHECK (length(prev_hash) = 64 AND ltrim(prev_hash, '0123456789abcdef') = ''),
        ADD CONSTRAINT audit_entry_entry_hash_check
          CHECK (length(entry_hash) = 64 AND ltrim(entry_hash, '0123456789abcdef') = '');
      CREATE INDEX audit_entry_conflict_event_id_idx ON audit_entry (event_id) WHERE kind = 'conflict';
      DROP INDEX audit_entry_event_id_idx;
      DROP INDEX audit_entry_verdict_idx;
      DROP INDEX audit_entry_received_at_idx;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE audit_entry
        DROP CONSTRAINT audit_entry_prev_hash_check,
        DROP CONSTRAINT audit_entry_entry_hash_check,
        ADD CONSTRAINT audit_entry_prev_hash_check CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        ADD CONSTRAINT audit_entry_entry_hash_check CHECK (entry_hash ~ '^[0-9a-f]{64}$');
      CREATE INDEX audit_entry_event_id_idx ON audit_entry (event_id);
      CREATE INDEX audit_entry_verdict_idx ON audit_entry (verdict);
      CREATE INDEX audit_entry_received_at_idx ON audit_entry (received_at);
      DROP INDEX audit_entry_conflict_event_id_idx;
    `);
  }
}

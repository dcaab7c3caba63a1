import type { DataSource } from 'typeorm';

import { ChainVerifier } from '../domain/chain-verifier.js';
import type { StoredAuditEntry, VerdictCounts, VerifyReport } from '../ledger.types.js';
import { auditEntryFromRow, SELECT_AUDIT_ENTRIES, type AuditEntryRow } from './audit-entry.row.js';
import { withLedgerErrors } from './driver-errors.js';

const VERIFY_PAGE_SIZE = 2_000;
const MAX_TRAIL_PAGE = 10_000;

/** Reads the trail: health, verification, pages of entries, counts. Nothing here writes. */
export class TrailQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Resolves when the database answers; for health checks. */
  async ping(): Promise<void> {
    await withLedgerErrors(() => this.dataSource.query('SELECT 1'));
  }

  /** Recomputes every chain in seq order, a page at a time, so the trail's size does not matter. */
  async verifyChains(): Promise<VerifyReport> {
    const verifier = new ChainVerifier();
    let after: { chainId: string; seq: string } | null = null;
    for (;;) {
      const rows: AuditEntryRow[] = await withLedgerErrors(() =>
        after === null
          ? this.dataSource.query(`${SELECT_AUDIT_ENTRIES} ORDER BY chain_id, chain_seq LIMIT $1`, [
              VERIFY_PAGE_SIZE,
            ])
          : this.dataSource.query(
              `${SELECT_AUDIT_ENTRIES} WHERE (chain_id, chain_seq) > ($2, $3) ORDER BY chain_id, chain_seq LIMIT $1`,
              [VERIFY_PAGE_SIZE, after.chainId, after.seq],
            ),
      );
      for (const row of rows) verifier.accept(auditEntryFromRow(row));
      if (rows.length < VERIFY_PAGE_SIZE) break;
      const last = rows[rows.length - 1];
      after = { chainId: last.chain_id, seq: last.chain_seq };
    }
    return verifier.report();
  }

  /** Trail entries in the order they were recorded, after the given id (exclusive). */
  async readTrail(query: { afterId?: string; limit: number }): Promise<StoredAuditEntry[]> {
    const limit = Math.max(1, Math.min(Math.trunc(query.limit), MAX_TRAIL_PAGE));
    const rows: AuditEntryRow[] = await withLedgerErrors(() =>
      query.afterId === undefined
        ? this.dataSource.query(`${SELECT_AUDIT_ENTRIES} ORDER BY id LIMIT $1`, [limit])
        : this.dataSource.query(`${SELECT_AUDIT_ENTRIES} WHERE id > $2 ORDER BY id LIMIT $1`, [
            limit,
            query.afterId,
          ]),
    );
    return rows.map(auditEntryFromRow);
  }

  async countByVerdict(): Promise<VerdictCounts> {
    const rows: { kind: string; verdict: keyof VerdictCounts; count: number }[] = await withLedgerErrors(() =>
      this.dataSource.query(
        'SELECT kind, verdict, count(*)::int AS count FROM audit_entry GROUP BY kind, verdict',
      ),
    );
    const counts: VerdictCounts = { compliant: 0, flagged: 0, rejected: 0, conflicts: 0 };
    for (const row of rows) {
      if (row.kind === 'conflict') counts.conflicts += row.count;
      else counts[row.verdict] += row.count;
    }
    return counts;
  }
}

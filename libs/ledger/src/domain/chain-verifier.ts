import type { AuditEntry, ChainMismatch, StoredAuditEntry, VerifyReport } from '../ledger.types.js';
import { computeEntryHash, GENESIS_PREV_HASH } from './entry-hash.js';

/** What verification reads of a stored entry: the entry and its row id, to name a mismatch. */
export type VerifiedEntry = AuditEntry & Pick<StoredAuditEntry, 'id'>;

/**
 * Checks entries fed to it in (chain_id, chain_seq) order, holding only the previous entry of the current chain,
 * so that a trail of any size can be verified page by page.
 *
 * Each entry is checked against the stored hash of its predecessor, not a recomputed one: a tampered row is then
 * reported by itself, and a tamperer who also rewrote its entry_hash shows up as a prev_hash mismatch at the next.
 */
export class ChainVerifier {
  private chains = 0;
  private entries = 0;
  private mismatches = 0;
  private firstMismatch: ChainMismatch | undefined;
  private current: { chainId: string; seq: number; entryHash: string } | undefined;

  accept(entry: VerifiedEntry): void {
    this.entries++;
    if (this.current?.chainId !== entry.chainId) {
      this.chains++;
      this.current = { chainId: entry.chainId, seq: 0, entryHash: GENESIS_PREV_HASH };
    }
    const previous = this.current;

    if (entry.chainSeq !== previous.seq + 1) {
      this.record(entry, 'seq-gap', String(previous.seq + 1), String(entry.chainSeq));
    } else if (entry.prevHash !== previous.entryHash) {
      this.record(entry, 'prev-hash-mismatch', previous.entryHash, entry.prevHash);
    } else {
      const recomputed = computeEntryHash(entry.prevHash, entry);
      if (recomputed !== entry.entryHash) this.record(entry, 'hash-mismatch', recomputed, entry.entryHash);
    }
    this.current = { chainId: entry.chainId, seq: entry.chainSeq, entryHash: entry.entryHash };
  }

  report(): VerifyReport {
    const report: VerifyReport = {
      ok: this.mismatches === 0,
      chains: this.chains,
      entries: this.entries,
      mismatches: this.mismatches,
    };
    if (this.firstMismatch !== undefined) report.firstMismatch = this.firstMismatch;
    return report;
  }

  private record(
    entry: VerifiedEntry,
    reason: ChainMismatch['reason'],
    expected: string,
    actual: string,
  ): void {
    this.mismatches++;
    this.firstMismatch ??= {
      chainId: entry.chainId,
      seq: entry.chainSeq,
      id: entry.id,
      eventId: entry.eventId,
      expected,
      actual,
      reason,
    };
  }
}

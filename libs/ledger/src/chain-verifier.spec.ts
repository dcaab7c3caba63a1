import { disclosureRecord, rejectedRecord } from '#libs/testing';

import { planAppend } from './append-plan.js';
import { ChainVerifier, type StoredAuditEntry } from './chain-verifier.js';
import { computeEntryHash } from './entry-hash.js';
import { normaliseRecords } from './record-validation.js';

const topics = { flagged: 'f', deadLetter: 'd' };

/** Two chains as appendBatch would write them, in (chain_id, chain_seq) order. */
function storedChains(): StoredAuditEntry[] {
  const records = [0, 1, 0, 0, 1].map((partition, index) =>
    index === 3 ? rejectedRecord({ partition }) : disclosureRecord({ partition }),
  );
  const { entries } = planAppend(
    normaliseRecords(records),
    { heads: new Map(), recordedOffsets: new Set(), knownEvents: new Map() },
    topics,
  );
  return entries
    .map((entry, index) => ({ ...entry, id: String(index + 1) }))
    .sort((a, b) => a.chainId.localeCompare(b.chainId) || a.chainSeq - b.chainSeq);
}

function verify(entries: StoredAuditEntry[]) {
  const verifier = new ChainVerifier();
  for (const entry of entries) verifier.accept(entry);
  return verifier.report();
}

describe('ChainVerifier', () => {
  it('accepts untouched chains and counts them', () => {
    expect(verify(storedChains())).toEqual({ ok: true, chains: 2, entries: 5, mismatches: 0 });
  });

  it('names the entry whose content was changed', () => {
    const entries = storedChains();
    const tampered = entries[1];
    entries[1] = { ...tampered, verdict: 'flagged' };

    const report = verify(entries);

    expect(report.ok).toBe(false);
    expect(report.mismatches).toBe(1);
    expect(report.firstMismatch).toEqual({
      chainId: tampered.chainId,
      seq: tampered.chainSeq,
      id: tampered.id,
      eventId: tampered.eventId,
      expected: computeEntryHash(tampered.prevHash, entries[1]),
      actual: tampered.entryHash,
      reason: 'hash-mismatch',
    });
  });

  it('points at the next entry when the changed one had its own hash recomputed', () => {
    const entries = storedChains();
    const changed = { ...entries[0], errors: ['rewritten'] };
    entries[0] = { ...changed, entryHash: computeEntryHash(changed.prevHash, changed) };

    const report = verify(entries);

    expect(report.firstMismatch).toMatchObject({
      chainId: entries[1].chainId,
      seq: 2,
      reason: 'prev-hash-mismatch',
      expected: entries[0].entryHash,
      actual: entries[1].prevHash,
    });
  });

  it('reports a removed entry as a gap in the sequence', () => {
    const entries = storedChains();
    const removed = entries.splice(1, 1)[0];

    const report = verify(entries);

    expect(report.firstMismatch).toMatchObject({
      chainId: removed.chainId,
      seq: removed.chainSeq + 1,
      reason: 'seq-gap',
      expected: String(removed.chainSeq),
      actual: String(removed.chainSeq + 1),
    });
  });

  it('reports a chain whose first entry is missing', () => {
    const entries = storedChains().filter((entry) => !(entry.chainId.endsWith('/1') && entry.chainSeq === 1));

    expect(verify(entries).firstMismatch).toMatchObject({
      chainId: 'disclosures.v1/1',
      seq: 2,
      reason: 'seq-gap',
    });
  });

  it('keeps counting after the first mismatch, so the extent of the damage is known', () => {
    const entries = storedChains().map((entry) => ({ ...entry, registerVersion: 'forged' }));

    const report = verify(entries);

    expect(report.mismatches).toBe(5);
    expect(report.firstMismatch?.seq).toBe(1);
  });
});

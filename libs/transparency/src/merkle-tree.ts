import { assertHash, EMPTY_TREE_ROOT, leafHash, nodeHash } from './merkle-hash.js';

/**
 * Computes RFC 9162 tree heads incrementally. It keeps only the roots of the perfect subtrees that make up the
 * tree so far (one per set bit of the size, at most 53), so a million leaves or a billion cost the same memory,
 * and the head at any size on the way can be read with {@link root}.
 */
export class MerkleTreeBuilder {
  /** Roots of the perfect subtrees, left to right; their sizes are the set bits of `count`, largest first. */
  private readonly peaks: Buffer[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** How many subtree roots are held; bounded by the number of set bits of the size. */
  get retainedNodes(): number {
    return this.peaks.length;
  }

  appendEntry(entry: Uint8Array): void {
    this.appendLeafHash(leafHash(entry));
  }

  appendLeafHash(hash: Uint8Array): void {
    assertHash(hash, `leaf hash ${this.count}`);
    let node: Buffer = Buffer.from(hash);
    // Each trailing set bit of the old size is a perfect subtree of equal size that the new leaf now completes.
    for (let size = this.count; size % 2 === 1; size = (size - 1) / 2) {
      node = nodeHash(this.peaks.pop()!, node);
    }
    this.peaks.push(node);
    this.count += 1;
  }

  /** The tree head over every leaf appended so far (the empty-tree hash before the first). */
  root(): Buffer {
    if (this.peaks.length === 0) return Buffer.from(EMPTY_TREE_ROOT);
    let root = this.peaks[this.peaks.length - 1];
    for (let index = this.peaks.length - 2; index >= 0; index -= 1) root = nodeHash(this.peaks[index], root);
    return Buffer.from(root);
  }
}

/** The tree head over leaf hashes given in leaf order. */
export function rootFromLeafHashes(leafHashes: Iterable<Uint8Array>): Buffer {
  const builder = new MerkleTreeBuilder();
  for (const hash of leafHashes) builder.appendLeafHash(hash);
  return builder.root();
}

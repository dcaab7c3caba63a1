import { assertHash, assertTreeSize, isPowerOfTwo, nodeHash, splitPoint } from './merkle-hash.js';
import { MerkleTreeBuilder } from './merkle-tree.js';
import { fail, TransparencyErrorCode } from './transparency.exception.js';

/** The leaves [start, end) of one subtree whose hash is a node of a proof. */
export interface SubtreeRange {
  start: number;
  end: number;
}

/** The subtrees whose hashes make up the inclusion proof of leaf `index` in a tree of `size` (RFC 9162 2.1.3.1). */
export function inclusionProofRanges(index: number, size: number): SubtreeRange[] {
  assertTreeSize(size, 'tree size');
  assertTreeSize(index, 'leaf index');
  if (index >= size) {
    fail(
      TransparencyErrorCode.INVALID_TREE_POSITION,
      `leaf index ${index} is outside a tree of ${size} leaves`,
    );
  }
  const ranges: SubtreeRange[] = [];
  auditPath(index, 0, size, ranges);
  return ranges;
}

function auditPath(index: number, start: number, end: number, out: SubtreeRange[]): void {
  const size = end - start;
  if (size === 1) return;
  const k = splitPoint(size);
  if (index < k) {
    auditPath(index, start, start + k, out);
    out.push({ start: start + k, end });
  } else {
    auditPath(index - k, start + k, end, out);
    out.push({ start, end: start + k });
  }
}

/**
 * The subtrees whose hashes make up the consistency proof from the tree of `size1` leaves to the tree of `size2`
 * (RFC 9162 2.1.4.1). It is empty when size1 is 0 or equals size2.
 */
export function consistencyProofRanges(size1: number, size2: number): SubtreeRange[] {
  assertTreeSize(size1, 'first tree size');
  assertTreeSize(size2, 'second tree size');
  if (size1 > size2) {
    fail(
      TransparencyErrorCode.INVALID_TREE_POSITION,
      `a tree of ${size1} leaves cannot precede one of ${size2}`,
    );
  }
  const ranges: SubtreeRange[] = [];
  if (size1 > 0 && size1 < size2) subproof(size1, 0, size2, true, ranges);
  return ranges;
}

function subproof(m: number, start: number, end: number, wholeFirstTree: boolean, out: SubtreeRange[]): void {
  const size = end - start;
  if (m === size) {
    if (!wholeFirstTree) out.push({ start, end });
    return;
  }
  const k = splitPoint(size);
  if (m <= k) {
    subproof(m, start, start + k, wholeFirstTree, out);
    out.push({ start: start + k, end });
  } else {
    subproof(m - k, start + k, end, false, out);
    out.push({ start, end: start + k });
  }
}

/**
 * Builds a proof in one pass over the tree's leaf hashes in leaf order, holding only the subtree being hashed:
 * the proof for a tree of a million leaves streams from a database cursor in bounded memory.
 */
export class ProofCollector {
  private readonly pending: { range: SubtreeRange; position: number }[];
  private readonly hashes: Buffer[];
  private next = 0;
  private current: MerkleTreeBuilder | null = null;
  private count = 0;

  constructor(ranges: readonly SubtreeRange[]) {
    this.pending = ranges
      .map((range, position) => ({ range, position }))
      .sort((a, b) => a.range.start - b.range.start);
    this.hashes = new Array<Buffer>(ranges.length);
  }

  /** How many leaf hashes have been appended. */
  get size(): number {
    return this.count;
  }

  appendLeafHash(hash: Uint8Array): void {
    assertHash(hash, `leaf hash ${this.count}`);
    const index = this.count;
    this.count += 1;
    const target = this.pending[this.next];
    if (target === undefined || index < target.range.start) return;
    this.current ??= new MerkleTreeBuilder();
    this.current.appendLeafHash(hash);
    if (index === target.range.end - 1) {
      this.hashes[target.position] = this.current.root();
      this.current = null;
      this.next += 1;
    }
  }

  /** The proof's hashes in proof order; fails when the leaves seen so far do not reach the last subtree. */
  proof(): Buffer[] {
    if (this.next < this.pending.length) {
      const needed = Math.max(...this.pending.map(({ range }) => range.end));
      fail(
        TransparencyErrorCode.LEAVES_INCOMPLETE,
        `the proof needs ${needed} leaves, only ${this.count} were given`,
      );
    }
    return [...this.hashes];
  }
}

/** The inclusion proof of leaf `index` in the tree formed by the first `size` of `leafHashes`. */
export function inclusionProof(index: number, size: number, leafHashes: Iterable<Uint8Array>): Buffer[] {
  return collect(inclusionProofRanges(index, size), size, leafHashes);
}

/** The consistency proof between the trees formed by the first `size1` and the first `size2` of `leafHashes`. */
export function consistencyProof(size1: number, size2: number, leafHashes: Iterable<Uint8Array>): Buffer[] {
  return collect(consistencyProofRanges(size1, size2), size2, leafHashes);
}

function collect(ranges: SubtreeRange[], size: number, leafHashes: Iterable<Uint8Array>): Buffer[] {
  const collector = new ProofCollector(ranges);
  for (const hash of leafHashes) {
    if (collector.size === size) break;
    collector.appendLeafHash(hash);
  }
  return collector.proof();
}

function proofMismatch(message: string): never {
  fail(TransparencyErrorCode.PROOF_MISMATCH, message);
}

function assertProofHashes(proof: readonly Uint8Array[]): void {
  proof.forEach((hash, index) => assertHash(hash, `proof node ${index}`));
}

/** Shifts fn and sn right together while fn is even and non-zero (RFC 9162 2.1.3.2 step 4.b.ii). */
function shiftWhileEven(fn: number, sn: number): [number, number] {
  while (fn % 2 === 0 && fn !== 0) {
    fn /= 2;
    sn = Math.floor(sn / 2);
  }
  return [fn, sn];
}

/** The root that an inclusion proof leads to from `leafHash` at `index` (RFC 9162 2.1.3.2). */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer {
  assertTreeSize(size, 'tree size');
  assertTreeSize(index, 'leaf index');
  if (index >= size) {
    fail(
      TransparencyErrorCode.INVALID_TREE_POSITION,
      `leaf index ${index} is outside a tree of ${size} leaves`,
    );
  }
  assertHash(leafHash, 'leaf hash');
  assertProofHashes(proof);
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const [position, p] of proof.entries()) {
    if (sn === 0) proofMismatch(`the inclusion proof has more than the ${position} nodes the tree needs`);
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) [fn, sn] = shiftWhileEven(fn, sn);
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) proofMismatch(`the inclusion proof of ${proof.length} nodes is too short for this tree`);
  return r;
}

/** Checks that `proof` shows leaf `index` with `leafHash` is in the tree of `size` leaves with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertHash(root, 'root');
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  if (!computed.equals(root)) {
    proofMismatch(
      `the inclusion proof of leaf ${index} leads to a root other than the tree head of size ${size}`,
    );
  }
}

/**
 * Checks that `proof` shows the tree of `size1` leaves with `root1` is a prefix of the tree of `size2` leaves with
 * `root2` (RFC 9162 2.1.4.2).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  assertTreeSize(size1, 'first tree size');
  assertTreeSize(size2, 'second tree size');
  assertHash(root1, 'first root');
  assertHash(root2, 'second root');
  assertProofHashes(proof);
  if (size1 > size2) {
    fail(
      TransparencyErrorCode.INVALID_TREE_POSITION,
      `a tree of ${size1} leaves cannot precede one of ${size2}`,
    );
  }
  if (size1 === size2) {
    if (proof.length > 0) proofMismatch('trees of equal size need an empty consistency proof');
    if (!Buffer.from(root1).equals(root2)) proofMismatch(`two trees of ${size1} leaves have different roots`);
    return;
  }
  if (size1 === 0) {
    if (proof.length > 0) proofMismatch('the empty tree needs an empty consistency proof');
    return;
  }
  if (proof.length === 0) proofMismatch(`the consistency proof from ${size1} to ${size2} leaves is empty`);

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (let index = 1; index < path.length; index += 1) {
    const c = path[index];
    if (sn === 0) proofMismatch(`the consistency proof from ${size1} to ${size2} leaves has too many nodes`);
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) [fn, sn] = shiftWhileEven(fn, sn);
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) proofMismatch(`the consistency proof from ${size1} to ${size2} leaves is too short`);
  if (!fr.equals(root1))
    proofMismatch(`the consistency proof does not lead to the root of the tree of ${size1}`);
  if (!sr.equals(root2))
    proofMismatch(`the consistency proof does not lead to the root of the tree of ${size2}`);
}

import { createHash } from 'node:crypto';

import { fail, TransparencyErrorCode } from './transparency.exception.js';

/** SHA-256 output length; every leaf hash, node hash and root is this long. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.of(0x00);
const NODE_PREFIX = Buffer.of(0x01);

/** The root of the empty tree: SHA-256 of no bytes (RFC 9162 section 2.1.1). */
export const EMPTY_TREE_ROOT: Buffer = createHash('sha256').digest();

/** RFC 9162 leaf hash: SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

/** RFC 9162 interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

export function assertHash(hash: Uint8Array, what: string): void {
  if (hash.length !== HASH_SIZE) {
    fail(
      TransparencyErrorCode.INVALID_HASH,
      `${what} has ${hash.length} bytes, a SHA-256 hash has ${HASH_SIZE}`,
    );
  }
}

export function assertTreeSize(size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    fail(TransparencyErrorCode.INVALID_TREE_POSITION, `${what} must be a non-negative integer, got ${size}`);
  }
}

/** The largest power of two strictly below n (n ≥ 2): the size of the left subtree of a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

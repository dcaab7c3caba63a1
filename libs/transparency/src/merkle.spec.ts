import { createHash } from 'node:crypto';

import { EMPTY_TREE_ROOT, leafHash, nodeHash } from './merkle-hash.js';
import { MerkleTreeBuilder, rootFromLeafHashes } from './merkle-tree.js';
import {
  consistencyProof,
  inclusionProof,
  ProofCollector,
  consistencyProofRanges,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './proofs.js';
import { TransparencyErrorCode } from './transparency.exception.js';

/**
 * Vectors published with the RFC 6962 implementations of Certificate Transparency, as carried by
 * github.com/transparency-dev/merkle (rfc6962/rfc6962_test.go and proof/verify_test.go): eight leaves, the tree
 * head of every prefix, and inclusion and consistency proofs between them.
 */
const hex = (text: string) => Buffer.from(text, 'hex');
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(hex);
const rootOf = (size: number) => ROOTS[size - 1];

/** Leaf numbers are 1-based in the published vectors. */
const INCLUSION_VECTORS = [
  {
    leaf: 1,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 6,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 3, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 2,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  { leaf: 1, size: 1, proof: [] },
].map((vector) => ({ ...vector, proof: vector.proof.map(hex) }));

const CONSISTENCY_VECTORS = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
].map((vector) => ({ ...vector, proof: vector.proof.map(hex) }));

const LEAF_HASHES = LEAVES.map(leafHash);
const SOME_HASH = hex('abacaba000000000000000000000000000000000000000000060061e00123456');

function codeOf(action: () => unknown): TransparencyErrorCode | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: TransparencyErrorCode }).code;
  }
  return undefined;
}

function flipBit(proof: Buffer[], index: number, mask: number): Buffer[] {
  return proof.map((hash, position) => {
    if (position !== index) return hash;
    const copy = Buffer.from(hash);
    copy[0] ^= mask;
    return copy;
  });
}

/** MTH as RFC 9162 section 2.1.1 defines it, written straight from the recursion, to check the incremental builder. */
function referenceRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return createHash('sha256').update(Buffer.of(0)).update(leaves[0]).digest();
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.of(1))
    .update(referenceRoot(leaves.slice(0, k)))
    .update(referenceRoot(leaves.slice(k)))
    .digest();
}

describe('RFC 6962 hashing', () => {
  it('matches the published leaf, node and empty-tree hashes', () => {
    expect(EMPTY_TREE_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(leafHash(Buffer.from('L123456')).toString('hex')).toBe(
      '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56',
    );
    expect(nodeHash(Buffer.from('N123'), Buffer.from('N456')).toString('hex')).toBe(
      'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb',
    );
  });

  it('gives the published tree head of every prefix of the eight leaves', () => {
    const builder = new MerkleTreeBuilder();
    expect(builder.root()).toEqual(EMPTY_TREE_ROOT);
    LEAVES.forEach((leaf, index) => {
      builder.appendEntry(leaf);
      expect(builder.size).toBe(index + 1);
      expect(builder.root().toString('hex')).toBe(rootOf(index + 1).toString('hex'));
    });
    expect(rootFromLeafHashes(LEAF_HASHES)).toEqual(rootOf(8));
  });

  it('agrees with the RFC recursion for every size up to 130', () => {
    const leaves = Array.from({ length: 130 }, (_, index) => Buffer.from(`entry ${index}`));
    const builder = new MerkleTreeBuilder();
    const wrongSizes: number[] = [];
    for (let size = 1; size <= leaves.length; size += 1) {
      builder.appendEntry(leaves[size - 1]);
      if (!builder.root().equals(referenceRoot(leaves.slice(0, size)))) wrongSizes.push(size);
    }
    expect(wrongSizes).toEqual([]);
  });

  it('holds one node per set bit of the size, however many leaves it has seen', () => {
    const builder = new MerkleTreeBuilder();
    const hash = leafHash(Buffer.from('x'));
    const wrongSizes: number[] = [];
    let largest = 0;
    for (let size = 1; size <= (1 << 14) + 5; size += 1) {
      builder.appendLeafHash(hash);
      const setBits = size.toString(2).replace(/0/g, '').length;
      if (builder.retainedNodes !== setBits) wrongSizes.push(size);
      largest = Math.max(largest, builder.retainedNodes);
    }
    expect(wrongSizes).toEqual([]);
    expect(largest).toBe(14);
  });

  it('refuses a leaf hash that is not 32 bytes', () => {
    expect(codeOf(() => new MerkleTreeBuilder().appendLeafHash(Buffer.alloc(31)))).toBe(
      TransparencyErrorCode.INVALID_HASH,
    );
  });
});

describe('inclusion proofs', () => {
  it.each(INCLUSION_VECTORS)(
    'builds the published proof of leaf $leaf in a tree of $size',
    ({ leaf, size, proof }) => {
      expect(inclusionProof(leaf - 1, size, LEAF_HASHES)).toEqual(proof);
    },
  );

  it.each(INCLUSION_VECTORS)(
    'verifies the published proof of leaf $leaf in a tree of $size',
    ({ leaf, size, proof }) => {
      const index = leaf - 1;
      expect(rootFromInclusionProof(index, size, LEAF_HASHES[index], proof)).toEqual(rootOf(size));
      expect(() => verifyInclusion(index, size, LEAF_HASHES[index], proof, rootOf(size))).not.toThrow();
    },
  );

  it.each(INCLUSION_VECTORS.filter((vector) => vector.size > 1))(
    'rejects every corruption of the proof of leaf $leaf in a tree of $size',
    ({ leaf, size, proof }) => {
      const index = leaf - 1;
      const root = rootOf(size);
      const hash = LEAF_HASHES[index];
      const probes: [string, () => void][] = [
        ['index - 1', () => verifyInclusion(index - 1, size, hash, proof, root)],
        ['index + 1', () => verifyInclusion(index + 1, size, hash, proof, root)],
        ['index ^ 2', () => verifyInclusion(index ^ 2, size, hash, proof, root)],
        ['size * 2', () => verifyInclusion(index, size * 2, hash, proof, root)],
        ['size / 2', () => verifyInclusion(index, Math.floor(size / 2), hash, proof, root)],
        ['wrong leaf', () => verifyInclusion(index, size, leafHash(Buffer.from('WrongLeaf')), proof, root)],
        ['empty root', () => verifyInclusion(index, size, hash, proof, EMPTY_TREE_ROOT)],
        ['random root', () => verifyInclusion(index, size, hash, proof, SOME_HASH)],
        ['trailing root', () => verifyInclusion(index, size, hash, [...proof, root], root)],
        ['preceding root', () => verifyInclusion(index, size, hash, [root, ...proof], root)],
        ['removed node', () => verifyInclusion(index, size, hash, proof.slice(0, -1), root)],
        [
          'inserted node',
          () => verifyInclusion(index, size, hash, [proof[0], SOME_HASH, ...proof.slice(1)], root),
        ],
        ...proof.map(
          (_, position) =>
            [
              `bit in node ${position}`,
              () => verifyInclusion(index, size, hash, flipBit(proof, position, 8), root),
            ] as [string, () => void],
        ),
      ];
      const accepted = probes.filter(([, probe]) => codeOf(probe) === undefined).map(([name]) => name);
      expect(accepted).toEqual([]);
    },
  );

  it('names a proof node of the wrong length', () => {
    const { proof } = INCLUSION_VECTORS[0];
    expect(codeOf(() => verifyInclusion(0, 8, LEAF_HASHES[0], [...proof, Buffer.alloc(0)], rootOf(8)))).toBe(
      TransparencyErrorCode.INVALID_HASH,
    );
  });

  it('refuses a leaf outside the tree', () => {
    expect(codeOf(() => verifyInclusion(1, 1, SOME_HASH, [], SOME_HASH))).toBe(
      TransparencyErrorCode.INVALID_TREE_POSITION,
    );
    expect(codeOf(() => verifyInclusion(0, 0, SOME_HASH, [], EMPTY_TREE_ROOT))).toBe(
      TransparencyErrorCode.INVALID_TREE_POSITION,
    );
    expect(codeOf(() => inclusionProof(8, 8, LEAF_HASHES))).toBe(TransparencyErrorCode.INVALID_TREE_POSITION);
  });

  it('verifies the one-leaf tree, whose root is the leaf hash, only with that hash', () => {
    const hash = leafHash(Buffer.from('data'));
    expect(() => verifyInclusion(0, 1, hash, [], hash)).not.toThrow();
    expect(codeOf(() => verifyInclusion(0, 1, hash, [], SOME_HASH))).toBe(
      TransparencyErrorCode.PROOF_MISMATCH,
    );
  });

  it('builds, for every leaf of trees up to 40 leaves, a proof that leads to the RFC root', () => {
    const leaves = Array.from({ length: 40 }, (_, index) => Buffer.from(`leaf-${index}`));
    const hashes = leaves.map(leafHash);
    const wrong: string[] = [];
    for (let size = 1; size <= leaves.length; size += 1) {
      const root = referenceRoot(leaves.slice(0, size));
      for (let index = 0; index < size; index += 1) {
        const proof = inclusionProof(index, size, hashes);
        if (!rootFromInclusionProof(index, size, hashes[index], proof).equals(root))
          wrong.push(`${index}/${size}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('says when the leaves end before the proof is complete', () => {
    expect(codeOf(() => inclusionProof(0, 8, LEAF_HASHES.slice(0, 5)))).toBe(
      TransparencyErrorCode.LEAVES_INCOMPLETE,
    );
  });
});

describe('consistency proofs', () => {
  it.each(CONSISTENCY_VECTORS)(
    'builds the published proof from $size1 to $size2',
    ({ size1, size2, proof }) => {
      expect(consistencyProof(size1, size2, LEAF_HASHES)).toEqual(proof);
    },
  );

  it.each(CONSISTENCY_VECTORS)(
    'verifies the published proof from $size1 to $size2',
    ({ size1, size2, proof }) => {
      expect(() => verifyConsistency(size1, size2, proof, rootOf(size1), rootOf(size2))).not.toThrow();
    },
  );

  it.each(CONSISTENCY_VECTORS.filter((vector) => vector.proof.length > 0))(
    'rejects every corruption of the proof from $size1 to $size2',
    ({ size1, size2, proof }) => {
      const root1 = rootOf(size1);
      const root2 = rootOf(size2);
      const check = (s1: number, s2: number, p: Buffer[], r1: Buffer, r2: Buffer) => () =>
        verifyConsistency(s1, s2, p, r1, r2);
      const probes: [string, () => void][] = [
        ['size1 - 1', check(size1 - 1, size2, proof, root1, root2)],
        ['size1 + 1', check(size1 + 1, size2, proof, root1, root2)],
        ['size1 ^ 2', check(size1 ^ 2, size2, proof, root1, root2)],
        ['size2 * 2', check(size1, size2 * 2, proof, root1, root2)],
        ['size2 / 2', check(size1, Math.floor(size2 / 2), proof, root1, root2)],
        ['wrong root1', check(size1, size2, proof, SOME_HASH, root2)],
        ['wrong root2', check(size1, size2, proof, root1, SOME_HASH)],
        ['swapped roots', check(size1, size2, proof, root2, root1)],
        ['empty proof', check(size1, size2, [], root1, root2)],
        ['trailing root1', check(size1, size2, [...proof, root1], root1, root2)],
        ['trailing root2', check(size1, size2, [...proof, root2], root1, root2)],
        ['preceding root1', check(size1, size2, [root1, ...proof], root1, root2)],
        ['preceding root2', check(size1, size2, [root2, ...proof], root1, root2)],
        ['preceding proof[0]', check(size1, size2, [proof[0], ...proof], root1, root2)],
        ['truncated', check(size1, size2, proof.slice(0, -1), root1, root2)],
        ...proof.map(
          (_, position) =>
            [`bit in node ${position}`, check(size1, size2, flipBit(proof, position, 16), root1, root2)] as [
              string,
              () => void,
            ],
        ),
      ];
      const accepted = probes.filter(([, probe]) => codeOf(probe) === undefined).map(([name]) => name);
      expect(accepted).toEqual([]);
    },
  );

  it('accepts the trivial cases and refuses time travel, as RFC 9162 and the reference verifier do', () => {
    expect(() => verifyConsistency(0, 0, [], SOME_HASH, SOME_HASH)).not.toThrow();
    expect(() => verifyConsistency(0, 1, [], EMPTY_TREE_ROOT, rootOf(1))).not.toThrow();
    expect(() => verifyConsistency(1, 1, [], rootOf(1), rootOf(1))).not.toThrow();
    expect(codeOf(() => verifyConsistency(1, 1, [], rootOf(1), rootOf(2)))).toBe(
      TransparencyErrorCode.PROOF_MISMATCH,
    );
    expect(codeOf(() => verifyConsistency(1, 1, [EMPTY_TREE_ROOT], rootOf(1), rootOf(1)))).toBe(
      TransparencyErrorCode.PROOF_MISMATCH,
    );
    expect(codeOf(() => verifyConsistency(0, 1, [EMPTY_TREE_ROOT], EMPTY_TREE_ROOT, rootOf(1)))).toBe(
      TransparencyErrorCode.PROOF_MISMATCH,
    );
    expect(codeOf(() => verifyConsistency(1, 2, [], rootOf(1), rootOf(2)))).toBe(
      TransparencyErrorCode.PROOF_MISMATCH,
    );
    expect(codeOf(() => verifyConsistency(2, 1, [], rootOf(2), rootOf(1)))).toBe(
      TransparencyErrorCode.INVALID_TREE_POSITION,
    );
    expect(codeOf(() => consistencyProofRanges(5, 4))).toBe(TransparencyErrorCode.INVALID_TREE_POSITION);
  });

  it('proves every pair of sizes up to 40 consistent against the RFC roots, and no wrong pair', () => {
    const leaves = Array.from({ length: 40 }, (_, index) => Buffer.from(`leaf-${index}`));
    const hashes = leaves.map(leafHash);
    const roots = Array.from({ length: leaves.length + 1 }, (_, size) =>
      referenceRoot(leaves.slice(0, size)),
    );
    // Trees whose first leaf was replaced: no trail that extends one of them extends the true tree.
    const forgedRoots = roots.map((_, size) =>
      referenceRoot([Buffer.from('forged'), ...leaves.slice(1, size)]),
    );
    const refused: string[] = [];
    const accepted: string[] = [];
    for (let size2 = 1; size2 <= leaves.length; size2 += 1) {
      for (let size1 = 1; size1 <= size2; size1 += 1) {
        const proof = consistencyProof(size1, size2, hashes);
        if (codeOf(() => verifyConsistency(size1, size2, proof, roots[size1], roots[size2])) !== undefined) {
          refused.push(`${size1}->${size2}`);
        }
        const code = codeOf(() => verifyConsistency(size1, size2, proof, forgedRoots[size1], roots[size2]));
        if (code !== TransparencyErrorCode.PROOF_MISMATCH) accepted.push(`${size1}->${size2}`);
      }
    }
    expect(refused).toEqual([]);
    expect(accepted).toEqual([]);
  });

  it('streams a proof from a collector fed one leaf at a time, ignoring leaves past the tree', () => {
    const collector = new ProofCollector(consistencyProofRanges(6, 8));
    for (const hash of LEAF_HASHES) collector.appendLeafHash(hash);
    collector.appendLeafHash(SOME_HASH);
    expect(collector.proof()).toEqual(CONSISTENCY_VECTORS[2].proof);
  });
});

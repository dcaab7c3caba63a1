/**
 * Streams a million leaves through the transparency library as the auditor and the verifier do: the tree head
 * built incrementally, and an inclusion and a consistency proof collected in the same single pass. Prints the
 * rate and the memory held, which must not grow with the number of leaves.
 *
 *   npm run bench:transparency [-- leaves]
 */
import { createHash } from 'node:crypto';

import {
  consistencyProofRanges,
  inclusionProofRanges,
  leafHash,
  MerkleTreeBuilder,
  ProofCollector,
  rootFromInclusionProof,
  verifyConsistency,
} from '#libs/transparency';

const leaves = Number(process.argv[2] ?? 1_000_000);
const half = Math.floor(leaves / 2);

/** A stand-in for an entry hash: the 64 hex characters the trail stores for entry `index`. */
function entryHash(index: number): Buffer {
  return Buffer.from(createHash('sha256').update(String(index)).digest('hex'), 'utf8');
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
global.gc?.();
const before = process.memoryUsage();
let peakHeap = before.heapUsed;

const builder = new MerkleTreeBuilder();
const inclusion = new ProofCollector(inclusionProofRanges(half, leaves));
const consistency = new ProofCollector(consistencyProofRanges(half, leaves));
let halfRoot: Buffer | undefined;
let probedLeaf: Buffer | undefined;

const started = process.hrtime.bigint();
for (let index = 0; index < leaves; index += 1) {
  const hash = leafHash(entryHash(index));
  builder.appendLeafHash(hash);
  inclusion.appendLeafHash(hash);
  consistency.appendLeafHash(hash);
  if (index === half) probedLeaf = hash;
  if (builder.size === half) halfRoot = builder.root();
  if (index % 100_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const root = builder.root();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

if (!rootFromInclusionProof(half, leaves, probedLeaf!, inclusion.proof()).equals(root)) {
  throw new Error('the inclusion proof does not lead to the root');
}
verifyConsistency(half, leaves, consistency.proof(), halfRoot!, root);

const after = process.memoryUsage();
console.log(`transparency tree: ${leaves.toLocaleString('en-GB')} leaves in ${seconds.toFixed(2)} s`);
console.log(
  `  ${Math.round(leaves / seconds).toLocaleString('en-GB')} leaves/s (entry hash + leaf hash + tree + 2 proofs)`,
);
console.log(`  nodes held by the tree builder: ${builder.retainedNodes}`);
console.log(
  `  heap before ${mib(before.heapUsed)} MiB, peak ${mib(peakHeap)} MiB; RSS after ${mib(after.rss)} MiB`,
);
console.log(`  root ${root.toString('hex')}; both proofs verify`);

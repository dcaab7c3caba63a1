export {
  openCheckpoint,
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
  type VerifiedCheckpoint,
} from './checkpoint.js';
export { EMPTY_TREE_ROOT, HASH_SIZE, leafHash, nodeHash } from './merkle-hash.js';
export { MerkleTreeBuilder, rootFromLeafHashes } from './merkle-tree.js';
export {
  consistencyProof,
  consistencyProofRanges,
  inclusionProof,
  inclusionProofRanges,
  ProofCollector,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  type SubtreeRange,
} from './proofs.js';
export {
  ED25519_SIGNATURE_TYPE,
  NoteSigner,
  NoteVerifier,
  noteKeyId,
  openNote,
  parseNote,
  signNote,
  type NoteSignature,
  type OpenedNote,
} from './signed-note.js';
export { TransparencyErrorCode, TransparencyException } from './transparency.exception.js';

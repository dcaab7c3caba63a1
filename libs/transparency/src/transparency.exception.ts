export enum TransparencyErrorCode {
  /** A tree size or leaf index is not a non-negative safe integer, or an index lies outside the tree. */
  INVALID_TREE_POSITION = 'TRANSPARENCY_INVALID_TREE_POSITION',
  /** A hash does not have the 32 bytes of SHA-256. */
  INVALID_HASH = 'TRANSPARENCY_INVALID_HASH',
  /** A proof does not lead to the expected root (wrong length, wrong node, wrong root). */
  PROOF_MISMATCH = 'TRANSPARENCY_PROOF_MISMATCH',
  /** The leaves given to build a proof or a tree head do not cover the tree that was asked for. */
  LEAVES_INCOMPLETE = 'TRANSPARENCY_LEAVES_INCOMPLETE',
  /** Text is not a well-formed signed note, checkpoint body, key or signature line. */
  MALFORMED_NOTE = 'TRANSPARENCY_MALFORMED_NOTE',
  /** A key in note format is malformed, of an unknown algorithm, or its key id does not match its name and key. */
  INVALID_KEY = 'TRANSPARENCY_INVALID_KEY',
  /** A signature line names a known key but the signature does not verify. */
  INVALID_SIGNATURE = 'TRANSPARENCY_INVALID_SIGNATURE',
  /** No signature on the note was made by any of the keys the verifier trusts. */
  UNVERIFIED_NOTE = 'TRANSPARENCY_UNVERIFIED_NOTE',
}

/** A failure of Merkle or signed-note logic. The message names what was wrong; it never quotes personal data. */
export class TransparencyException extends Error {
  constructor(
    readonly code: TransparencyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransparencyException';
  }
}

export function fail(code: TransparencyErrorCode, message: string): never {
  throw new TransparencyException(code, message);
}

import { assertHash, assertTreeSize } from './merkle-hash.js';
import {
  assertNoteText,
  decodeBase64,
  openNote,
  signNote,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from './signed-note.js';
import { fail, TransparencyErrorCode } from './transparency.exception.js';

/** A C2SP tlog-checkpoint: a Merkle tree head and the log it belongs to. */
export interface Checkpoint {
  /** Identifies the log (here: one chain of the trail). */
  origin: string;
  size: number;
  rootHash: Buffer;
  /** Optional opaque lines after the root hash; the spec does not recommend them. */
  extensions: string[];
}

export interface VerifiedCheckpoint extends Checkpoint {
  /** The signed note exactly as received. */
  note: string;
  signatures: NoteSignature[];
}

function malformed(message: string): never {
  fail(TransparencyErrorCode.MALFORMED_NOTE, message);
}

/** The checkpoint's note text: origin, tree size, base64 root hash and any extension lines, each ending in a newline. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (checkpoint.origin.length === 0 || checkpoint.origin.includes('\n')) {
    malformed('a checkpoint origin must be one non-empty line');
  }
  assertTreeSize(checkpoint.size, 'checkpoint tree size');
  assertHash(checkpoint.rootHash, 'checkpoint root hash');
  for (const line of checkpoint.extensions) {
    if (line.length === 0 || line.includes('\n'))
      malformed('a checkpoint extension must be one non-empty line');
  }
  const text = [
    checkpoint.origin,
    String(checkpoint.size),
    checkpoint.rootHash.toString('base64'),
    ...checkpoint.extensions,
  ]
    .map((line) => `${line}\n`)
    .join('');
  assertNoteText(text);
  return text;
}

/** Reads a checkpoint's note text (the part before the signatures). */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) malformed('a checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) malformed('a checkpoint has an origin, a tree size and a root hash line');
  if (lines.some((line) => line.length === 0)) malformed('checkpoint lines must be non-empty');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine))
    malformed('the checkpoint tree size must be decimal without leading zeros');
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) malformed('the checkpoint tree size is too large');
  const rootHash = decodeBase64(rootLine, 'the checkpoint root hash');
  if (rootHash.length !== 32) malformed('the checkpoint root hash must be 32 bytes');
  return { origin, size, rootHash, extensions };
}

/** The signed checkpoint note. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  return signNote(formatCheckpoint(checkpoint), [signer]);
}

/**
 * Verifies a signed checkpoint against trusted keys and reads it. When `origin` is given the checkpoint must be
 * for that log, so a checkpoint of one chain cannot be passed off as another's.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
  origin?: string,
): VerifiedCheckpoint {
  const opened = openNote(note, verifiers);
  const checkpoint = parseCheckpoint(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    malformed(`the checkpoint is for ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(origin)}`);
  }
  const text = typeof note === 'string' ? note : Buffer.from(note).toString('utf8');
  return { ...checkpoint, note: text, signatures: opened.signatures };
}

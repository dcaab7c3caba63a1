import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

import { fail, TransparencyErrorCode } from './transparency.exception.js';

/** The C2SP signed-note signature type byte of Ed25519. */
export const ED25519_SIGNATURE_TYPE = 0x01;

/** Verifiers must accept at least 16 signatures; a note with more than this many is refused as malformed. */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_LINE_PREFIX = '\u2014 '; // em dash, space
const PRIVATE_KEY_PREFIX = 'PRIVATE+KEY+';
const ED25519_KEY_BYTES = 32;
// DER headers that wrap a raw 32-byte Ed25519 seed as PKCS#8 and a raw public key as SPKI (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** One signature line of a note: the key it names and the signature bytes after the 4-byte key id. */
export interface NoteSignature {
  keyName: string;
  keyId: number;
  signature: Buffer;
}

export interface OpenedNote {
  /** The signed text, ending in a newline. */
  text: string;
  /** Signatures by trusted keys, each verified. */
  signatures: NoteSignature[];
  /** Signatures by keys the verifier does not know; the spec requires ignoring them. */
  unverifiedSignatures: NoteSignature[];
}

function malformed(message: string): never {
  fail(TransparencyErrorCode.MALFORMED_NOTE, message);
}

function invalidKey(message: string): never {
  fail(TransparencyErrorCode.INVALID_KEY, message);
}

export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasControlCharacter(name);
}

function hasControlCharacter(text: string): boolean {
  return /[\u0000-\u0009\u000b-\u001f]/.test(text);
}

/** Whether the string has no unpaired surrogate, so it encodes to UTF-8 and back unchanged. */
function isWellFormed(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

/** Strict standard base64 with padding: Buffer.from(…, 'base64') alone would accept anything. */
export function decodeBase64(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || bytes.toString('base64') !== text) {
    malformed(`${what} is not standard padded base64`);
  }
  return bytes;
}

/** Key id = first four bytes, big-endian, of SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key). */
export function noteKeyId(keyName: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(keyName, 'utf8')
    .update(Buffer.of(0x0a, ED25519_SIGNATURE_TYPE))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

function hex8(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
}

function splitKeyText(text: string, what: string): { keyName: string; keyId: number; key: Buffer } {
  // The base64 key itself may contain "+", so only the first two separate fields.
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) invalidKey(`${what} must be name+keyid+base64key`);
  const keyName = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const keyBase64 = text.slice(second + 1);
  if (!isValidKeyName(keyName)) invalidKey(`${what} has an invalid key name`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) invalidKey(`${what} key id must be 8 lower-case hex digits`);
  let key: Buffer;
  try {
    key = decodeBase64(keyBase64, `${what} key`);
  } catch {
    invalidKey(`${what} key is not standard padded base64`);
  }
  if (key.length !== 1 + ED25519_KEY_BYTES || key[0] !== ED25519_SIGNATURE_TYPE) {
    invalidKey(`${what} is not an Ed25519 key (type byte 0x01 and 32 key bytes)`);
  }
  return { keyName, keyId: parseInt(idHex, 16), key: key.subarray(1) };
}

/** Checks signatures made by one Ed25519 key under one key name. */
export class NoteVerifier {
  readonly keyId: number;
  private readonly key: KeyObject;

  private constructor(
    readonly keyName: string,
    readonly publicKey: Buffer,
  ) {
    if (!isValidKeyName(keyName)) invalidKey('a key name must be non-empty, without spaces or "+"');
    if (publicKey.length !== ED25519_KEY_BYTES) invalidKey('an Ed25519 public key has 32 bytes');
    this.keyId = noteKeyId(keyName, publicKey);
    this.key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
  }

  static fromPublicKey(keyName: string, publicKey: Uint8Array): NoteVerifier {
    return new NoteVerifier(keyName, Buffer.from(publicKey));
  }

  /** Parses a verifier key in note format: `name+keyid+base64(0x01 ‖ public key)`. */
  static fromVerifierKey(text: string): NoteVerifier {
    const { keyName, keyId, key } = splitKeyText(text.trim(), 'verifier key');
    const verifier = new NoteVerifier(keyName, key);
    if (verifier.keyId !== keyId) invalidKey('verifier key id does not match its name and key');
    return verifier;
  }

  /** The key in note format, as a regulator configures it. */
  verifierKey(): string {
    const key = Buffer.concat([Buffer.of(ED25519_SIGNATURE_TYPE), this.publicKey]).toString('base64');
    return `${this.keyName}+${hex8(this.keyId)}+${key}`;
  }

  /** The public key as a PEM SubjectPublicKeyInfo, for tools that do not read note keys (openssl). */
  publicKeyPem(): string {
    return this.key.export({ format: 'pem', type: 'spki' }).toString();
  }

  matches(signature: NoteSignature): boolean {
    return signature.keyName === this.keyName && signature.keyId === this.keyId;
  }

  verify(text: string, signature: Uint8Array): boolean {
    return verify(null, Buffer.from(text, 'utf8'), this.key, signature);
  }
}

/** Signs note texts with one Ed25519 key under one key name. */
export class NoteSigner {
  readonly verifier: NoteVerifier;
  private readonly key: KeyObject;

  private constructor(
    readonly keyName: string,
    private readonly seed: Buffer,
  ) {
    if (!isValidKeyName(keyName)) invalidKey('a key name must be non-empty, without spaces or "+"');
    if (seed.length !== ED25519_KEY_BYTES) invalidKey('an Ed25519 private key (seed) has 32 bytes');
    this.key = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.verifier = NoteVerifier.fromPublicKey(keyName, rawPublicKey(createPublicKey(this.key)));
  }

  static fromSeed(keyName: string, seed: Uint8Array): NoteSigner {
    return new NoteSigner(keyName, Buffer.from(seed));
  }

  static generate(keyName: string): NoteSigner {
    const { privateKey } = generateKeyPairSync('ed25519');
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    return new NoteSigner(keyName, der.subarray(PKCS8_ED25519_PREFIX.length));
  }

  /** Parses a signer key in the note format of golang.org/x/mod/sumdb/note: `PRIVATE+KEY+name+keyid+base64(0x01 ‖ seed)`. */
  static fromPrivateKey(text: string): NoteSigner {
    const trimmed = text.trim();
    if (!trimmed.startsWith(PRIVATE_KEY_PREFIX)) invalidKey('a signer key starts with PRIVATE+KEY+');
    const { keyName, keyId, key } = splitKeyText(trimmed.slice(PRIVATE_KEY_PREFIX.length), 'signer key');
    const signer = new NoteSigner(keyName, key);
    if (signer.keyId !== keyId) invalidKey('signer key id does not match its name and key');
    return signer;
  }

  get keyId(): number {
    return this.verifier.keyId;
  }

  /** The key in the same note format {@link fromPrivateKey} reads; it is secret. */
  privateKey(): string {
    const key = Buffer.concat([Buffer.of(ED25519_SIGNATURE_TYPE), this.seed]).toString('base64');
    return `${PRIVATE_KEY_PREFIX}${this.keyName}+${hex8(this.keyId)}+${key}`;
  }

  /** The signature line for `text`: em dash, space, key name, space, base64(key id ‖ signature), newline. */
  signatureLine(text: string): string {
    assertNoteText(text);
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(this.keyId);
    const signature = sign(null, Buffer.from(text, 'utf8'), this.key);
    return `${SIGNATURE_LINE_PREFIX}${this.keyName} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
  }
}

/** A note text is non-empty, ends in a newline and holds no control character but newline. */
export function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) malformed('a note text must end with a newline');
  if (hasControlCharacter(text))
    malformed('a note text must not contain control characters other than newline');
  if (!isWellFormed(text)) malformed('a note text must be valid Unicode');
}

/** The signed note: the text, a blank line, one signature line per signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (signers.length === 0) malformed('a signed note needs at least one signer');
  return `${text}\n${signers.map((signer) => signer.signatureLine(text)).join('')}`;
}

function decodeNote(message: string | Uint8Array): string {
  if (typeof message === 'string') return message;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(message);
  } catch {
    malformed('a signed note must be valid UTF-8');
  }
}

/** Splits a signed note into its text and signature lines without checking any signature. */
export function parseNote(message: string | Uint8Array): { text: string; signatures: NoteSignature[] } {
  const note = decodeNote(message);
  if (hasControlCharacter(note))
    malformed('a signed note must not contain control characters other than newline');
  if (!isWellFormed(note)) malformed('a signed note must be valid Unicode');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) malformed('a signed note needs a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n'))
    malformed('the signature lines of a note must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES)
    malformed(`a signed note may carry at most ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map((line, index) => parseSignatureLine(line, index + 1));
  return { text, signatures };
}

function parseSignatureLine(line: string, number: number): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) malformed(`signature line ${number} does not start with "— "`);
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.lastIndexOf(' ');
  const keyName = rest.slice(0, space);
  if (space < 0 || !isValidKeyName(keyName)) malformed(`signature line ${number} has an invalid key name`);
  const bytes = decodeBase64(rest.slice(space + 1), `the signature on line ${number}`);
  if (bytes.length < 5) malformed(`the signature on line ${number} is too short`);
  return { keyName, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
}

/**
 * Parses a signed note and verifies it as C2SP signed-note requires: signatures by unknown keys are ignored, a
 * signature by a known key that fails is an error, and at least one known key must have signed.
 */
export function openNote(message: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(message);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const signature of signatures) {
    const identity = `${signature.keyName}+${hex8(signature.keyId)}+${signature.signature.toString('base64')}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const verifier = verifiers.find((candidate) => candidate.matches(signature));
    if (verifier === undefined) {
      unverified.push(signature);
    } else if (verifier.verify(text, signature.signature)) {
      verified.push(signature);
    } else {
      fail(
        TransparencyErrorCode.INVALID_SIGNATURE,
        `the signature of key ${signature.keyName}+${hex8(signature.keyId)} does not verify`,
      );
    }
  }
  if (verified.length === 0) {
    fail(TransparencyErrorCode.UNVERIFIED_NOTE, 'the note carries no signature by a trusted key');
  }
  return { text, signatures: verified, unverifiedSignatures: unverified };
}

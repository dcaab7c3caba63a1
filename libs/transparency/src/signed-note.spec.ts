import { NoteSigner, NoteVerifier, noteKeyId, openNote, parseNote, signNote } from './signed-note.js';
import { TransparencyErrorCode } from './transparency.exception.js';

/**
 * Vectors from golang.org/x/mod/sumdb/note (note_test.go), the reference implementation of C2SP signed notes:
 * two verifier keys, one signer key, and the signatures those keys make over one text.
 */
const PETER_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_KEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const peter = NoteVerifier.fromVerifierKey(PETER_KEY);
const enoch = NoteVerifier.fromVerifierKey(ENOCH_KEY);

function codeOf(action: () => unknown): TransparencyErrorCode | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: TransparencyErrorCode }).code;
  }
  return undefined;
}

describe('note keys', () => {
  it('reads a verifier key and writes it back unchanged', () => {
    expect(peter.keyName).toBe('PeterNeumann');
    expect(peter.keyId).toBe(0xc74f20a3);
    expect(peter.verifierKey()).toBe(PETER_KEY);
    expect(noteKeyId('EnochRoot', enoch.publicKey)).toBe(0xaf0cfe78);
  });

  it('derives the published verifier key from the published signer key', () => {
    const signer = NoteSigner.fromPrivateKey(PETER_SIGNER);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signer.verifier.verifierKey()).toBe(PETER_KEY);
    expect(signer.privateKey()).toBe(PETER_SIGNER);
  });

  it('refuses every one-character change to a verifier key, and every truncation', () => {
    const accepted: string[] = [];
    for (let index = 0; index < PETER_KEY.length; index += 1) {
      const changed =
        PETER_KEY.slice(0, index) +
        String.fromCharCode(PETER_KEY.charCodeAt(index) + 1) +
        PETER_KEY.slice(index + 1);
      if (codeOf(() => NoteVerifier.fromVerifierKey(changed)) !== TransparencyErrorCode.INVALID_KEY) {
        accepted.push(changed);
      }
      if (index > 0 && codeOf(() => NoteVerifier.fromVerifierKey(PETER_KEY.slice(0, index))) === undefined) {
        accepted.push(PETER_KEY.slice(0, index));
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses a key of the wrong length or algorithm even with a matching key id', () => {
    // From the reference tests: key ids recomputed for the altered keys.
    expect(
      codeOf(() =>
        NoteVerifier.fromVerifierKey(
          'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==',
        ),
      ),
    ).toBe(TransparencyErrorCode.INVALID_KEY);
    expect(
      codeOf(() =>
        NoteVerifier.fromVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
      ),
    ).toBe(TransparencyErrorCode.INVALID_KEY);
  });

  it('refuses a signer key that is not in PRIVATE+KEY form', () => {
    expect(codeOf(() => NoteSigner.fromPrivateKey(PETER_KEY))).toBe(TransparencyErrorCode.INVALID_KEY);
    expect(codeOf(() => NoteSigner.fromPrivateKey(PETER_SIGNER.replace('c74f20a3', 'c74f20a4')))).toBe(
      TransparencyErrorCode.INVALID_KEY,
    );
  });

  it('gives the public key as PEM for tools that do not read note keys', () => {
    expect(peter.publicKeyPem()).toMatch(
      /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/,
    );
  });
});

describe('signing notes', () => {
  it('makes the published signature (Ed25519 is deterministic)', () => {
    expect(signNote(TEXT, [NoteSigner.fromPrivateKey(PETER_SIGNER)])).toBe(`${TEXT}\n${PETER_SIG}`);
  });

  it('refuses text that does not end in a newline or holds control characters', () => {
    const signer = NoteSigner.fromPrivateKey(PETER_SIGNER);
    expect(codeOf(() => signNote('abc', [signer]))).toBe(TransparencyErrorCode.MALFORMED_NOTE);
    expect(codeOf(() => signNote('a\tb\n', [signer]))).toBe(TransparencyErrorCode.MALFORMED_NOTE);
  });

  it('signs and verifies with a freshly generated key', () => {
    const signer = NoteSigner.generate('council.example/audit');
    const note = signNote('hello\n', [signer]);
    const verifier = NoteVerifier.fromVerifierKey(signer.verifier.verifierKey());
    expect(openNote(note, [verifier]).text).toBe('hello\n');
    expect(codeOf(() => openNote(note.replace('hello', 'hellO'), [verifier]))).toBe(
      TransparencyErrorCode.INVALID_SIGNATURE,
    );
  });
});

describe('opening notes', () => {
  const both = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;

  it('verifies the signatures of known keys and sets the others aside', () => {
    const opened = openNote(both, [peter]);
    expect(opened.text).toBe(TEXT);
    expect(opened.signatures.map((signature) => signature.keyName)).toEqual(['PeterNeumann']);
    expect(opened.unverifiedSignatures.map((signature) => [signature.keyName, signature.keyId])).toEqual([
      ['EnochRoot', 0xaf0cfe78],
    ]);
    expect(openNote(both, [peter, enoch]).signatures.map((signature) => signature.keyId)).toEqual([
      0xc74f20a3, 0xaf0cfe78,
    ]);
  });

  it('rejects a note no trusted key signed', () => {
    expect(codeOf(() => openNote(both, []))).toBe(TransparencyErrorCode.UNVERIFIED_NOTE);
    expect(codeOf(() => openNote(`${TEXT}\n${ENOCH_SIG}`, [peter]))).toBe(
      TransparencyErrorCode.UNVERIFIED_NOTE,
    );
  });

  it('ignores a signature that shares only the name of a trusted key', () => {
    const otherKey = PETER_SIG.replace('x08g', 'xxxx');
    expect(codeOf(() => openNote(`${TEXT}\n${otherKey}`, [peter]))).toBe(
      TransparencyErrorCode.UNVERIFIED_NOTE,
    );
    const otherName = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
    expect(codeOf(() => openNote(`${TEXT}\n${otherName}`, [peter]))).toBe(
      TransparencyErrorCode.UNVERIFIED_NOTE,
    );
  });

  it('rejects the whole note when a trusted key signature fails', () => {
    const broken = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(codeOf(() => openNote(broken, [peter]))).toBe(TransparencyErrorCode.INVALID_SIGNATURE);
    expect(codeOf(() => openNote(`${TEXT.replace('answer', 'Answer')}\n${PETER_SIG}`, [peter]))).toBe(
      TransparencyErrorCode.INVALID_SIGNATURE,
    );
  });

  it.each([
    ['no blank line', TEXT],
    ['no signatures', `${TEXT}\n`],
    ['an unterminated signature line', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['a control character', `\u0001${TEXT}\n${PETER_SIG}`],
    ['a key name with a space', `${TEXT}\n${PETER_SIG.replace('PeterNeumann', 'Bad Name')}`],
    ['a line after the signatures', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ['a hyphen for the em dash', `${TEXT}\n${PETER_SIG.replace('—', '-')}`],
    ['a signature shorter than a key id', `${TEXT}\n— PeterNeumann AAAA\n`],
    ['too many signatures', `${TEXT}\n${PETER_SIG.repeat(101)}`],
  ])('refuses a note with %s as malformed', (_, note) => {
    expect(codeOf(() => openNote(note, [peter]))).toBe(TransparencyErrorCode.MALFORMED_NOTE);
  });

  it('refuses bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.of(0xff), Buffer.from(`${TEXT}\n${PETER_SIG}`)]);
    expect(codeOf(() => parseNote(bytes))).toBe(TransparencyErrorCode.MALFORMED_NOTE);
    expect(parseNote(Buffer.from(both)).text).toBe(TEXT);
  });

  it('keeps blank lines inside the text, splitting at the last one', () => {
    const text = 'first\n\nsecond\n';
    const signer = NoteSigner.fromPrivateKey(PETER_SIGNER);
    expect(openNote(signNote(text, [signer]), [peter]).text).toBe(text);
  });
});

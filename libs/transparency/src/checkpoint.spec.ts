import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { leafHash, nodeHash } from './merkle-hash.js';
import { parseNote, NoteSigner, NoteVerifier } from './signed-note.js';
import { TransparencyErrorCode } from './transparency.exception.js';

// The example checkpoint of c2sp.org/tlog-checkpoint.
const SPEC_EXAMPLE =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n' +
  '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
// The signer key of golang.org/x/mod/sumdb/note's tests.
const SIGNER = NoteSigner.fromPrivateKey(
  'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
);
const VERIFIER = NoteVerifier.fromVerifierKey(
  'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
);

function codeOf(action: () => unknown): TransparencyErrorCode | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: TransparencyErrorCode }).code;
  }
  return undefined;
}

// Tree of the two entries "a" and "b": RFC 6962 root = H(0x01 ‖ H(0x00 ‖ "a") ‖ H(0x00 ‖ "b")).
const root = nodeHash(leafHash(Buffer.from('a')), leafHash(Buffer.from('b')));
const checkpoint = {
  origin: 'council.example/audit/disclosures.v1/0',
  size: 2,
  rootHash: root,
  extensions: [],
};

describe('checkpoints', () => {
  it('reads the example of the specification', () => {
    const { text, signatures } = parseNote(SPEC_EXAMPLE);
    const parsed = parseCheckpoint(text);
    expect(parsed.origin).toBe('example.com/behind-the-sofa');
    expect(parsed.size).toBe(20852163);
    expect(parsed.rootHash.toString('base64')).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(parsed.extensions).toEqual([]);
    expect(signatures[0].keyName).toBe('example.com/behind-the-sofa');
    expect(signatures[0].signature).toHaveLength(64);
  });

  it('writes origin, decimal size and base64 root, one per line', () => {
    expect(formatCheckpoint(checkpoint)).toBe(
      `council.example/audit/disclosures.v1/0\n2\n${root.toString('base64')}\n`,
    );
    expect(formatCheckpoint({ ...checkpoint, extensions: ['extra'] })).toMatch(/\nextra\n$/);
  });

  it('signs a checkpoint that the verifier key opens, for the expected origin only', () => {
    const note = signCheckpoint(checkpoint, SIGNER);
    // Key id c74f20a3 then 64 signature bytes: 68 bytes, 92 base64 characters starting as the Go vectors do.
    expect(note).toMatch(/\n\n— PeterNeumann x08go[A-Za-z0-9+/]{86}=\n$/);
    const opened = openCheckpoint(note, [VERIFIER], checkpoint.origin);
    expect(opened).toMatchObject({ origin: checkpoint.origin, size: 2, note });
    expect(opened.rootHash.equals(root)).toBe(true);
    expect(codeOf(() => openCheckpoint(note, [VERIFIER], 'council.example/audit/disclosures.v1/1'))).toBe(
      TransparencyErrorCode.MALFORMED_NOTE,
    );
  });

  it('detects a checkpoint whose size or root was changed after signing', () => {
    const note = signCheckpoint(checkpoint, SIGNER);
    expect(codeOf(() => openCheckpoint(note.replace('\n2\n', '\n1\n'), [VERIFIER]))).toBe(
      TransparencyErrorCode.INVALID_SIGNATURE,
    );
    const otherRoot = leafHash(Buffer.from('a')).toString('base64');
    expect(codeOf(() => openCheckpoint(note.replace(root.toString('base64'), otherRoot), [VERIFIER]))).toBe(
      TransparencyErrorCode.INVALID_SIGNATURE,
    );
  });

  it.each([
    ['two lines', 'origin\n2\n'],
    ['a leading zero', `origin\n02\n${root.toString('base64')}\n`],
    ['a negative size', `origin\n-2\n${root.toString('base64')}\n`],
    ['a short root', `origin\n2\n${root.subarray(1).toString('base64')}\n`],
    ['unpadded base64', `origin\n2\n${root.toString('base64').replace('=', '')}\n`],
    ['an empty extension line', `origin\n2\n${root.toString('base64')}\n\nx\n`],
    ['no final newline', `origin\n2\n${root.toString('base64')}`],
  ])('refuses a checkpoint text with %s', (_, text) => {
    expect(codeOf(() => parseCheckpoint(text))).toBe(TransparencyErrorCode.MALFORMED_NOTE);
  });

  it('accepts the empty tree, size 0', () => {
    expect(parseCheckpoint(`o\n0\n${root.toString('base64')}\n`).size).toBe(0);
  });

  it('refuses to format an origin of several lines or a root that is not SHA-256', () => {
    expect(codeOf(() => formatCheckpoint({ ...checkpoint, origin: 'a\nb' }))).toBe(
      TransparencyErrorCode.MALFORMED_NOTE,
    );
    expect(codeOf(() => formatCheckpoint({ ...checkpoint, rootHash: Buffer.alloc(20) }))).toBe(
      TransparencyErrorCode.INVALID_HASH,
    );
  });
});

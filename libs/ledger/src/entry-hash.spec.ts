import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { planAppend } from './append-plan.js';

import { canonicalJson } from '#libs/contracts';

import {
  canonicalEventOf,
  canonicalHashedFields,
  computeEntryHash,
  contentHashOf,
  entryHashInput,
  GENESIS_PREV_HASH,
  hashedFields,
  type AuditEntryValues,
} from './entry-hash.js';
import type { LedgerRecord } from './ledger.types.js';
import { normaliseRecords } from './record-validation.js';

function sampleValues(): AuditEntryValues {
  return {
    chainId: 'disclosures.v1/0',
    chainSeq: 1,
    kind: 'rejected',
    eventId: null,
    contentHash: null,
    verdict: 'rejected',
    flags: [],
    errors: ['eventId: required'],
    noticeCode: null,
    registerVersion: 'v1',
    registerHash: 'abc',
    topic: 'disclosures.v1',
    kafkaPartition: 0,
    kafkaOffset: '42',
    receivedAt: new Date('2026-10-01T10:00:00.5Z'),
    event: null,
    raw: Buffer.from('{"x":1}', 'utf8'),
    headers: { ce_type: 'disclosure' },
  };
}

describe('entry hash recipe', () => {
  it('starts every chain from 64 zeros', () => {
    expect(GENESIS_PREV_HASH).toMatch(/^0{64}$/);
  });

  it('is sha256 over the previous hash, a line feed and the canonical JSON of the column-named fields', () => {
    // Written out by hand from docs/audit-trail.md: members sorted, no white space, raw in base64,
    // received_at in UTC with milliseconds, kafka_offset as a string.
    const expectedCanonical =
      '{"chain_id":"disclosures.v1/0","chain_seq":1,"content_hash":null,"errors":["eventId: required"],' +
      '"event":null,"event_id":null,"flags":[],"headers":{"ce_type":"disclosure"},"kafka_offset":"42",' +
      '"kafka_partition":0,"kind":"rejected","notice_code":null,"raw":"eyJ4IjoxfQ==",' +
      '"received_at":"2026-10-01T10:00:00.500Z","register_hash":"abc","register_version":"v1",' +
      '"topic":"disclosures.v1","verdict":"rejected"}';
    const expectedHash = createHash('sha256')
      .update(`${GENESIS_PREV_HASH}\n${expectedCanonical}`, 'utf8')
      .digest('hex');

    expect(entryHashInput(GENESIS_PREV_HASH, sampleValues())).toBe(
      `${GENESIS_PREV_HASH}\n${expectedCanonical}`,
    );
    expect(computeEntryHash(GENESIS_PREV_HASH, sampleValues())).toBe(expectedHash);
  });

  it('covers every hashed column: changing any one changes the hash', () => {
    const base = sampleValues();
    const baseHash = computeEntryHash(GENESIS_PREV_HASH, base);
    const changes: Partial<AuditEntryValues>[] = [
      { chainId: 'disclosures.v1/1' },
      { chainSeq: 2 },
      { kind: 'conflict' },
      { eventId: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11' },
      { contentHash: 'f'.repeat(64) },
      { verdict: 'flagged' },
      { flags: [{ code: 'NOTICE_UNKNOWN', severity: 'high', message: 'm' }] },
      { errors: [] },
      { noticeCode: 'housing' },
      { registerVersion: 'v2' },
      { registerHash: 'abd' },
      { topic: 'other' },
      { kafkaPartition: 1 },
      { kafkaOffset: '43' },
      { receivedAt: new Date('2026-10-01T10:00:00.501Z') },
      { event: { eventId: 'x' } },
      { raw: Buffer.from('{"x":2}') },
      { headers: {} },
    ];
    const hashedNames = new Set<string>();

    for (const change of changes) {
      const changed = { ...base, ...change };
      expect(computeEntryHash(GENESIS_PREV_HASH, changed)).not.toBe(baseHash);
      for (const [name, value] of Object.entries(hashedFields(changed))) {
        if (JSON.stringify(value) !== JSON.stringify(hashedFields(base)[name])) hashedNames.add(name);
      }
    }
    expect(hashedNames.size).toBe(Object.keys(hashedFields(base)).length);
  });

  it('chains: the same fields after another previous hash give another hash', () => {
    const values = sampleValues();

    expect(computeEntryHash('1'.repeat(64), values)).not.toBe(computeEntryHash(GENESIS_PREV_HASH, values));
  });

  it('leaves out the columns the database sets or that hold the chain itself', () => {
    const names = Object.keys(hashedFields(sampleValues()));

    for (const excluded of ['id', 'recorded_at', 'prev_hash', 'entry_hash'])
      expect(names).not.toContain(excluded);
  });

  it('identifies event content regardless of member order', () => {
    expect(contentHashOf({ a: 1, b: { c: 'x', d: [1, 2] } })).toBe(
      contentHashOf({ b: { d: [1, 2], c: 'x' }, a: 1 }),
    );
    expect(contentHashOf({ a: 1 })).not.toBe(contentHashOf({ a: 2 }));
    expect(contentHashOf({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the worked example in docs/audit-trail.md', () => {
  const doc = readFileSync(join(process.cwd(), 'docs', 'audit-trail.md'), 'utf8');
  const example = doc.slice(doc.indexOf('### Worked example'), doc.indexOf('## Checking the trail yourself'));
  const hashedTexts = [...example.matchAll(/```\n([0-9a-f]{64}\n\{.*\})\n```/g)].map((match) => match[1]);
  const statedHashes = [...example.matchAll(/`entry_hash` = `([0-9a-f]{64})`/g)].map((match) => match[1]);

  it('states texts whose SHA-256 are the entry hashes it gives, each chained to the one before', () => {
    expect(hashedTexts).toHaveLength(2);
    expect(statedHashes).toHaveLength(2);
    hashedTexts.forEach((text, index) => {
      expect(createHash('sha256').update(text, 'utf8').digest('hex')).toBe(statedHashes[index]);
    });
    expect(hashedTexts[0].startsWith(GENESIS_PREV_HASH)).toBe(true);
    expect(hashedTexts[1].startsWith(statedHashes[0])).toBe(true);
  });

  it('is what the ledger computes for the records it describes', () => {
    const event = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(example)![1]) as Record<string, unknown>;
    const register = { versionId: '2018-05-25', contentHash: 'a3f1' };
    const records: LedgerRecord[] = [
      {
        source: {
          topic: 'disclosures.v1',
          partition: 0,
          offset: '41',
          timestamp: '2026-10-01T10:00:01.250Z',
          headers: {},
        },
        kind: 'disclosure',
        eventId: event.eventId as string,
        verdict: 'flagged',
        flags: [
          {
            code: 'RECIPIENT_UNKNOWN',
            severity: 'medium',
            message: 'Acme Debt Collection is not in the register',
          },
        ],
        errors: [],
        notice: 'housing',
        register,
        event,
        raw: Buffer.from(JSON.stringify(event)),
      },
      {
        source: {
          topic: 'disclosures.v1',
          partition: 0,
          offset: '42',
          timestamp: '2026-10-01T10:00:02Z',
          headers: { 'content-type': 'application/json' },
        },
        kind: 'rejected',
        eventId: null,
        verdict: 'rejected',
        flags: [],
        errors: ['the message is not JSON'],
        notice: null,
        register,
        event: null,
        raw: Buffer.from('{"eventId":'),
      },
    ];
    const state = { heads: new Map(), recordedOffsets: new Set<string>(), knownEvents: new Map() };

    const { entries } = planAppend(normaliseRecords(records), state, { flagged: 'f', deadLetter: 'd' });

    expect(entries.map((entry) => entryHashInput(entry.prevHash, entry))).toEqual(hashedTexts);
    expect(entries.map((entry) => entry.entryHash)).toEqual(statedHashes);
    expect(doc).toContain(`Its \`content_hash\` is \`${contentHashOf(event)}\``);
  });
});

describe('canonicalHashedFields (the hot path form of the recipe)', () => {
  const awkwardEvent = {
    zeta: 'line\nfeed "quoted" back\\slash \u0001 control',
    alpha: { nested: ['é', '😀', 1.5, -0, 1e21, true, null], Ünicode: 'ü' },
    eventId: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11',
  };
  const variants: [string, (values: AuditEntryValues) => void][] = [
    ['a rejected message', () => undefined],
    [
      'a flagged disclosure with an awkward event',
      (values) => {
        values.kind = 'disclosure';
        values.verdict = 'flagged';
        values.eventId = awkwardEvent.eventId;
        values.event = awkwardEvent;
        values.contentHash = contentHashOf(awkwardEvent);
        values.raw = null;
        values.flags = [{ code: 'C', severity: 'high', message: 'tab\there, emoji 😀' }];
        values.noticeCode = 'housing';
      },
    ],
    [
      'strings that JSON escapes, non-ASCII and surrogate pairs in every text field',
      (values) => {
        values.chainId = 'tópic\t"x"/3';
        values.topic = 'tópic\t"x"';
        values.kafkaPartition = 3;
        values.chainSeq = 9_007_199_254_740_991;
        values.kafkaOffset = '9223372036854775807';
        values.registerVersion = 'v\u2028😀';
        values.registerHash = 'back\\slash';
        values.errors = ['\u0000 nul', '\u001f'];
        values.headers = { b: '2', a: '😀', é: '\r\n' };
        values.raw = Buffer.from([0, 255, 10]);
      },
    ],
  ];

  it.each(variants)('gives the text of canonicalJson(hashedFields(...)) for %s', (_name, change) => {
    const values = sampleValues();
    change(values);
    const generic = canonicalJson(hashedFields(values));
    expect(canonicalHashedFields(values)).toBe(generic);
    expect(canonicalHashedFields(values, values.event === null ? null : canonicalJson(values.event))).toBe(
      generic,
    );
    expect(JSON.parse(generic)).toEqual(JSON.parse(JSON.stringify(hashedFields(values))));
  });

  it('refuses an unpaired surrogate in a text field as the canonicaliser does', () => {
    const values = sampleValues();
    values.registerVersion = 'v\ud800';
    expect(() => canonicalHashedFields(values)).toThrow(/unpaired UTF-16 surrogate/);
  });

  it('uses the canonical event text it is given, which is why callers must pass the exact canonical form', () => {
    const values = sampleValues();
    values.event = { a: 1 };
    expect(canonicalHashedFields(values, '{"a":1}')).toContain('"event":{"a":1}');
    expect(canonicalHashedFields(values, '{"a":2}')).toContain('"event":{"a":2}');
  });

  it('gives the content hash of the canonical event text it returns', () => {
    const { canonicalEvent, contentHash } = canonicalEventOf({ b: [2, 1], a: 'x' });
    expect(canonicalEvent).toBe('{"a":"x","b":[2,1]}');
    expect(contentHash).toBe(createHash('sha256').update(canonicalEvent, 'utf8').digest('hex'));
    expect(contentHash).toBe(contentHashOf({ a: 'x', b: [2, 1] }));
  });
});

import type { PlannedEntry } from '../domain/append-plan.js';
import {
  AUDIT_ENTRY_COPY_COLUMNS,
  auditEntryCopyRows,
  copyBytea,
  copyText,
  OUTBOX_COPY_COLUMNS,
  outboxCopyRows,
} from './copy-rows.js';

function plannedEntry(overrides: Partial<PlannedEntry> = {}): PlannedEntry {
  return {
    chainId: 'disclosures.v1/0',
    chainSeq: 7,
    kind: 'disclosure',
    eventId: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11',
    contentHash: 'a'.repeat(64),
    verdict: 'flagged',
    flags: [{ code: 'C', severity: 'high', message: 'tab\there' }],
    errors: [],
    noticeCode: 'housing',
    registerVersion: '2018-05-25',
    registerHash: 'f'.repeat(64),
    topic: 'disclosures.v1',
    kafkaPartition: 0,
    kafkaOffset: '41',
    receivedAt: new Date('2026-10-01T10:00:01.250Z'),
    event: { purpose: 'a\\b' },
    canonicalEvent: '{"purpose":"a\\\\b"}',
    raw: null,
    headers: { 'content-type': 'application/json' },
    prevHash: '0'.repeat(64),
    entryHash: '1'.repeat(64),
    ...overrides,
  };
}

/** Reverses the text format the way the server reads it, to check what a value arrives as. */
function unescapeCopyText(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_all, character: string) =>
    character === 't' ? '\t' : character === 'n' ? '\n' : character === 'r' ? '\r' : character,
  );
}

describe('COPY text format', () => {
  it.each([
    ['plain', 'plain'],
    ['back\\slash', 'back\\\\slash'],
    ['tab\tnewline\ncarriage\r', 'tab\\tnewline\\ncarriage\\r'],
    ['ünïcode 😀', 'ünïcode 😀'],
  ])('escapes %j so that the server reads it back unchanged', (value, expected) => {
    expect(copyText(value)).toBe(expected);
    expect(unescapeCopyText(copyText(value))).toBe(value);
  });

  it('writes null as \\N, and a string "\\N" so that it is not read as null', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText('\\N')).not.toBe('\\N');
    expect(unescapeCopyText(copyText('\\N'))).toBe('\\N');
  });

  it('writes bytea as escaped hex', () => {
    expect(copyBytea(Buffer.from([0, 9, 255]))).toBe('\\\\x0009ff');
    expect(unescapeCopyText(copyBytea(Buffer.from([0, 9, 255])))).toBe('\\x0009ff');
    expect(copyBytea(null)).toBe('\\N');
  });

  it('writes one line per entry with a field per column, storing the canonical event text', () => {
    const rejected = plannedEntry({
      kind: 'rejected',
      verdict: 'rejected',
      eventId: null,
      contentHash: null,
      event: null,
      canonicalEvent: null,
      flags: [],
      errors: ['line\nbreak'],
      noticeCode: null,
      raw: Buffer.from('{"eventId":', 'utf8'),
      chainSeq: 8,
      kafkaOffset: '42',
    });
    const lines = auditEntryCopyRows([plannedEntry(), rejected]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');

    const columns = (line: string) =>
      Object.fromEntries(
        line.split('\t').map((field, index) => [AUDIT_ENTRY_COPY_COLUMNS[index], unescapeCopyText(field)]),
      );
    const first = columns(lines[0]);
    expect(Object.keys(first)).toEqual([...AUDIT_ENTRY_COPY_COLUMNS]);
    expect(first).toMatchObject({
      chain_id: 'disclosures.v1/0',
      chain_seq: '7',
      kind: 'disclosure',
      event: '{"purpose":"a\\\\b"}',
      raw: null,
      received_at: '2026-10-01T10:00:01.250Z',
      kafka_offset: '41',
    });
    expect(JSON.parse(first.flags as string)).toEqual([
      { code: 'C', severity: 'high', message: 'tab\there' },
    ]);
    expect(JSON.parse(first.event as string)).toEqual({ purpose: 'a\\b' });

    const second = columns(lines[1]);
    expect(second).toMatchObject({
      event_id: null,
      event: null,
      notice_code: null,
      raw: '\\x7b226576656e744964223a',
    });
    expect(JSON.parse(second.errors as string)).toEqual(['line\nbreak']);
  });

  it('serialises the event when no canonical text is at hand', () => {
    const line = auditEntryCopyRows([plannedEntry({ canonicalEvent: null, event: { b: 1 } })]);
    expect(line.split('\t')[AUDIT_ENTRY_COPY_COLUMNS.indexOf('event')]).toBe('{"b":1}');
  });

  it('writes one outbox line per message, keeping a missing key null and header text intact', () => {
    const lines = outboxCopyRows([
      {
        topic: 'disclosures.flagged.v1',
        key: Buffer.from('k1', 'utf8'),
        value: Buffer.from('{"a":"tab\there"}', 'utf8'),
        headers: { 'content-type': 'application/json' },
      },
      {
        topic: 'disclosures.dlq.v1',
        key: null,
        value: Buffer.from([0, 10, 255]),
        headers: { 'x-reject-reasons': '["back\\slash","line\nbreak"]' },
      },
    ]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');

    const columns = (line: string) =>
      Object.fromEntries(
        line.split('\t').map((field, index) => [OUTBOX_COPY_COLUMNS[index], unescapeCopyText(field)]),
      );
    const flagged = columns(lines[0]);
    expect(Object.keys(flagged)).toEqual([...OUTBOX_COPY_COLUMNS]);
    expect(flagged).toMatchObject({
      topic: 'disclosures.flagged.v1',
      message_key: `\\x${Buffer.from('k1').toString('hex')}`,
      value: `\\x${Buffer.from('{"a":"tab\there"}').toString('hex')}`,
    });
    expect(JSON.parse(flagged.headers as string)).toEqual({ 'content-type': 'application/json' });

    const deadLetter = columns(lines[1]);
    expect(deadLetter).toMatchObject({ topic: 'disclosures.dlq.v1', message_key: null, value: '\\x000aff' });
    expect(JSON.parse(deadLetter.headers as string)).toEqual({
      'x-reject-reasons': '["back\\slash","line\nbreak"]',
    });
  });
});

import { disclosureRecord, rejectedRecord } from '#libs/testing';

import { LedgerErrorCode, LedgerException } from './ledger.exception.js';
import type { LedgerRecord } from './ledger.types.js';
import { normaliseRecord } from './record-validation.js';

function refusal(record: LedgerRecord): LedgerException {
  try {
    normaliseRecord(record, 4);
  } catch (error) {
    if (error instanceof LedgerException) return error;
    throw error;
  }
  throw new Error('the record was accepted');
}

describe('normaliseRecord', () => {
  it('stores the form that will be hashed: lower-case eventId, millisecond time, canonical offset', () => {
    const record = disclosureRecord({ offset: '000123', timestamp: '2026-10-01T11:00:00.123456+01:00' });
    record.eventId = record.eventId!.toUpperCase();

    const normalised = normaliseRecord(record, 0);

    expect(normalised.eventId).toBe(record.eventId.toLowerCase());
    expect(normalised.offset).toBe('123');
    expect(normalised.receivedAt.toISOString()).toBe('2026-10-01T10:00:00.123Z');
    expect(normalised.chainId).toBe('disclosures.v1/0');
    expect(normalised.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('drops the event of a rejected message and an eventId that is not a UUID', () => {
    const record = { ...rejectedRecord({ eventId: 'not-a-uuid' }), event: { partial: true } };

    const normalised = normaliseRecord(record, 0);

    expect(normalised.event).toBeNull();
    expect(normalised.eventId).toBeNull();
    expect(normalised.contentHash).toBeNull();
  });

  it.each<[string, (record: LedgerRecord) => void, RegExp]>([
    ['a verdict that contradicts the kind', (r) => (r.verdict = 'rejected'), /verdict/],
    ['a flagged verdict without flags', (r) => (r.verdict = 'flagged'), /flags/],
    [
      'a compliant verdict with flags',
      (r) => (r.flags = [{ code: 'X', severity: 'low', message: 'm' }]),
      /flags/,
    ],
    ['a disclosure without its event', (r) => (r.event = null), /event/],
    ['a disclosure without a UUID', (r) => (r.eventId = 'abc'), /eventId/],
    ['a negative partition', (r) => (r.source.partition = -1), /partition/],
    ['an offset beyond 64 bits', (r) => (r.source.offset = '9223372036854775808'), /offset/],
    ['an offset that is not a number', (r) => (r.source.offset = '12a'), /offset/],
    ['a timestamp that is not a date', (r) => (r.source.timestamp = 'yesterday'), /timestamp/],
    ['a header that is not a string', (r) => (r.source.headers = { n: 1 as unknown as string }), /headers/],
    ['a missing register version', (r) => (r.register = { versionId: '', contentHash: 'x' }), /register/],
    ['a NUL in the event', (r) => (r.event = { ...r.event, purpose: 'a\u0000b' }), /event\.purpose/],
    ['a NUL in a header', (r) => (r.source.headers = { h: '\u0000' }), /headers\.h/],
    [
      'an unpaired surrogate in the event',
      (r) => (r.event = { ...r.event, purpose: '\ud800' }),
      /event\.purpose/,
    ],
    ['a number JSON cannot hold', (r) => (r.event = { ...r.event, recordCount: Number.NaN }), /event/],
  ])('refuses %s, naming the field and the record', (_name, spoil, field) => {
    const record = disclosureRecord();
    spoil(record);

    const error = refusal(record);

    expect(error.code).toBe(LedgerErrorCode.INVALID_RECORD);
    expect(error.details.recordIndex).toBe(4);
    expect(error.message).toMatch(/^record 4: /);
    expect(error.message).toMatch(field);
    expect(error.retryable).toBe(false);
  });

  it('does not quote the offending value in its message', () => {
    const record = disclosureRecord();
    record.event = { ...record.event, subject: { ref: 'SECRET-REF\u0000' } };

    expect(refusal(record).message).not.toContain('SECRET-REF');
  });
});

import { normaliseRecords } from '../domain/record-validation.js';
import type { LedgerRecord } from '../ledger.types.js';
import { offsetRanges } from './trail-append.repository.js';

function rejected(topic: string, partition: number, offset: string): LedgerRecord {
  return {
    source: { topic, partition, offset, timestamp: '2026-10-01T10:00:00Z', headers: {} },
    kind: 'rejected',
    eventId: null,
    verdict: 'rejected',
    flags: [],
    errors: ['the message is not JSON'],
    notice: null,
    register: { versionId: 'v1', contentHash: 'c'.repeat(64) },
    event: null,
    raw: Buffer.from('x'),
  };
}

describe('offsetRanges', () => {
  it('gives the lowest and highest offset of each partition, comparing offsets as 64-bit numbers', () => {
    const records = normaliseRecords([
      rejected('t', 0, '9'),
      rejected('t', 1, '5'),
      rejected('t', 0, '10'),
      rejected('t', 0, '007'),
      rejected('u', 0, '9223372036854775807'),
      rejected('u', 0, '9223372036854775806'),
    ]);

    expect(offsetRanges(records)).toEqual([
      { topic: 't', partition: 0, low: 7n, high: 10n },
      { topic: 't', partition: 1, low: 5n, high: 5n },
      { topic: 'u', partition: 0, low: 9223372036854775806n, high: 9223372036854775807n },
    ]);
  });

  it('keeps topics whose names end like a partition apart', () => {
    const records = normaliseRecords([rejected('a/1', 2, '3'), rejected('a', 12, '4')]);
    expect(offsetRanges(records).map((range) => [range.topic, range.partition])).toEqual([
      ['a/1', 2],
      ['a', 12],
    ]);
  });
});

import { disclosureEvent, disclosureRecord, rejectedRecord } from '#libs/testing';

import { AppendPlanner, offsetKey, planAppend, type LedgerState } from './append-plan.js';
import { computeEntryHash, contentHashOf, GENESIS_PREV_HASH } from './entry-hash.js';
import type { LedgerRecord } from './ledger.types.js';
import { normaliseRecords } from './record-validation.js';

const topics = { flagged: 'disclosures.flagged.v1', deadLetter: 'disclosures.dlq.v1' };
const emptyState: LedgerState = { heads: new Map(), recordedOffsets: new Set(), knownEvents: new Map() };
const flag = {
  code: 'PURPOSE_NOT_IN_NOTICE',
  severity: 'high',
  message: 'the housing notice has no such purpose',
};

function plan(records: LedgerRecord[], state: LedgerState = emptyState) {
  return planAppend(normaliseRecords(records), state, topics);
}

describe('planAppend', () => {
  it('numbers each chain from 1 and links every entry to the one before it', () => {
    const result = plan([
      disclosureRecord({ partition: 0 }),
      disclosureRecord({ partition: 1 }),
      disclosureRecord({ partition: 0 }),
    ]);

    const [first, other, second] = result.entries;
    expect([first.chainId, first.chainSeq, first.prevHash]).toEqual([
      'disclosures.v1/0',
      1,
      GENESIS_PREV_HASH,
    ]);
    expect([other.chainId, other.chainSeq, other.prevHash]).toEqual([
      'disclosures.v1/1',
      1,
      GENESIS_PREV_HASH,
    ]);
    expect([second.chainId, second.chainSeq, second.prevHash]).toEqual([
      'disclosures.v1/0',
      2,
      first.entryHash,
    ]);
    for (const entry of result.entries) expect(entry.entryHash).toBe(computeEntryHash(entry.prevHash, entry));
  });

  it('continues a chain from the head already in the database', () => {
    const state: LedgerState = {
      ...emptyState,
      heads: new Map([['disclosures.v1/0', { seq: 41, entryHash: 'a'.repeat(64) }]]),
    };

    const [entry] = plan([disclosureRecord({ partition: 0 })], state).entries;

    expect(entry.chainSeq).toBe(42);
    expect(entry.prevHash).toBe('a'.repeat(64));
  });

  it('skips an offset that is already recorded, or that comes twice in the batch', () => {
    const recorded = disclosureRecord({ offset: '7' });
    const fresh = disclosureRecord({ offset: '8' });
    const state: LedgerState = {
      ...emptyState,
      recordedOffsets: new Set([offsetKey('disclosures.v1', 0, '7')]),
    };

    const result = plan([recorded, fresh, { ...fresh }], state);

    expect(result.entries.map((entry) => entry.kafkaOffset)).toEqual(['8']);
    expect(result.duplicates).toBe(2);
    expect(result.redelivered).toBe(2);
  });

  it('treats the same eventId with the same content as a duplicate, in the database or earlier in the batch', () => {
    const original = disclosureRecord();
    const again = disclosureRecord({ event: { ...original.event! } });
    const known: LedgerState = {
      ...emptyState,
      knownEvents: new Map([
        [original.eventId!, [{ kind: 'disclosure', contentHash: contentHashOf(original.event!) }]],
      ]),
    };

    expect(plan([again], known)).toMatchObject({ entries: [], duplicates: 1, redelivered: 0 });
    expect(plan([original, again])).toMatchObject({ duplicates: 1, conflicts: 0 });
    expect(plan([original, again]).entries).toHaveLength(1);
  });

  it('records the same eventId with other content as a conflict, and a repeat of that conflict once', () => {
    const original = disclosureRecord();
    const changed = disclosureRecord({ event: { ...original.event!, recordCount: 99 } });
    const changedAgain = disclosureRecord({ event: { ...changed.event! } });

    const result = plan([original, changed, changedAgain]);

    expect(result.entries.map((entry) => entry.kind)).toEqual(['disclosure', 'conflict']);
    expect(result.entries[1].eventId).toBe(original.eventId);
    expect(result).toMatchObject({ conflicts: 1, duplicates: 1 });
  });

  it('does not dedupe rejected messages by eventId', () => {
    const eventId = '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11';

    const result = plan([rejectedRecord({ eventId }), rejectedRecord({ eventId })]);

    expect(result.entries.map((entry) => [entry.kind, entry.eventId])).toEqual([
      ['rejected', eventId],
      ['rejected', eventId],
    ]);
  });

  it('queues a flagged disclosure for the DPO topic with its trail position', () => {
    const record = disclosureRecord({ flags: [flag], notice: 'housing' });

    const result = plan([record]);

    expect(result.outbox).toHaveLength(1);
    const [message] = result.outbox;
    expect(message.topic).toBe('disclosures.flagged.v1');
    expect(message.key?.toString()).toBe(record.eventId);
    expect(JSON.parse(message.value.toString())).toEqual({
      eventId: record.eventId,
      verdict: 'flagged',
      flags: [flag],
      notice: 'housing',
      registerVersion: 'register-test-1',
      trail: { chain: 'disclosures.v1/0', seq: 1, entryHash: result.entries[0].entryHash },
      event: record.event,
    });
  });

  it('queues the original bytes of a rejected message for the dead-letter topic, with the reasons in headers', () => {
    const raw = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const record = rejectedRecord({
      raw,
      errors: ['not UTF-8', 'too short'],
      partition: 3,
      offset: '1234',
      headers: { ce_id: 'abc', 'x-source-topic': 'spoofed' },
      key: Buffer.from('HSG-1'),
    });

    const [message] = plan([record]).outbox;

    expect(message.topic).toBe('disclosures.dlq.v1');
    expect(message.value.equals(raw)).toBe(true);
    expect(message.key?.toString()).toBe('HSG-1');
    expect(message.headers).toEqual({
      ce_id: 'abc',
      'x-reject-reasons': '["not UTF-8","too short"]',
      'x-source-topic': 'disclosures.v1',
      'x-source-partition': '3',
      'x-source-offset': '1234',
    });
  });

  it('queues nothing for compliant disclosures, duplicates or conflicts', () => {
    const original = disclosureRecord({ flags: [flag] });
    const conflicting = disclosureRecord({ event: { ...original.event!, recordCount: 5 }, flags: [flag] });

    const result = plan([
      disclosureRecord(),
      original,
      { ...original, source: { ...original.source, offset: '999999' } },
      conflicting,
    ]);

    expect(result.outbox).toHaveLength(1);
    expect(result.entries.map((entry) => entry.kind)).toEqual(['disclosure', 'disclosure', 'conflict']);
  });

  it('keeps raw bytes only for rejected messages and the event only for disclosures and conflicts', () => {
    const [disclosure, rejected] = plan([disclosureRecord(), rejectedRecord()]).entries;

    expect(disclosure.raw).toBeNull();
    expect(disclosure.event).not.toBeNull();
    expect(rejected.raw).not.toBeNull();
    expect(rejected.event).toBeNull();
  });
});

describe('AppendPlanner', () => {
  it('plans a slice at a time exactly what planAppend plans at once', () => {
    const eventOf = (id: string) =>
      ({ ...disclosureEvent(), eventId: id }) as unknown as Record<string, unknown>;
    const repeated = eventOf('6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11');
    const records = normaliseRecords([
      disclosureRecord({ partition: 0, offset: '1', event: repeated }),
      disclosureRecord({ partition: 1, offset: '1', flags: [{ code: 'C', severity: 'high', message: 'm' }] }),
      disclosureRecord({ partition: 0, offset: '1' }), // redelivered
      disclosureRecord({ partition: 0, offset: '2', event: repeated }), // the same event again
      disclosureRecord({ partition: 0, offset: '3', event: { ...repeated, purpose: 'other' } }), // conflict
      rejectedRecord({ partition: 1, offset: '2' }),
      disclosureRecord({ partition: 0, offset: '4' }),
    ]);
    const state: LedgerState = { heads: new Map(), recordedOffsets: new Set(), knownEvents: new Map() };
    const whole = planAppend(records, state, topics);

    const planner = new AppendPlanner(records, state, topics);
    const slices: number[] = [];
    while (!planner.done) slices.push(planner.next(2).length);

    expect(slices).toEqual([2, 0, 2, 1]);
    expect(planner.plan).toEqual(whole);
    expect(whole).toMatchObject({ duplicates: 2, redelivered: 1, conflicts: 1 });
    expect(whole.entries.map((entry) => entry.entryHash)).toEqual(
      whole.entries.map((entry) => computeEntryHash(entry.prevHash, entry)),
    );
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Admin, Kafka } from 'kafkajs';

import { judgeMessage, type Judgement } from '#libs/checker';
import { FLAG_CODES } from '#libs/contracts';
import { defaultRegisterDir, loadRegister, type Register } from '#libs/register';
import { disclosureEvent, createRunDatabase, migrateTestDatabase, type RunDatabase } from '#libs/testing';

import {
  auditorVariables,
  REPO_ROOT,
  startInProcessAuditor,
  type InProcessAuditor,
} from './support/auditor-process.js';
import { waitFor } from './support/eventually.js';
import {
  consumerGroupLag,
  createRunTopics,
  publishWithPositions,
  runTopics,
  testKafka,
  TopicRecorder,
  type PublishedPosition,
} from './support/kafka-client.js';
import { positionKey, TrailReader, type TrailRow } from './support/trail-reader.js';

/**
 * The auditor against the real broker and database: the examples file (every verdict, every flag code) and the
 * CloudEvents transport modes, checked in the trail and on the flagged and dead-letter topics.
 */
const topics = runTopics('verdicts');
const exampleLines = readFileSync(join(REPO_ROOT, 'examples', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

let database: RunDatabase;
let kafka: Kafka;
let admin: Admin;
let auditor: InProcessAuditor;
let recorder: TopicRecorder;
let trail: TrailReader;
let register: Register;

beforeAll(async () => {
  register = loadRegister(defaultRegisterDir());
  database = await createRunDatabase('disclosure_audit_e2e_verdicts');
  await migrateTestDatabase(database.url);
  kafka = testKafka(topics.clientId);
  admin = kafka.admin();
  await admin.connect();
  await createRunTopics(admin, topics);
  recorder = await TopicRecorder.start(kafka, [topics.flagged, topics.deadLetter]);
  auditor = await startInProcessAuditor(auditorVariables(topics, database.url));
  trail = await TrailReader.open(database.url);
});

afterAll(async () => {
  await auditor?.stop();
  await recorder?.stop();
  await trail?.close();
  await admin?.disconnect();
  await database?.drop();
});

async function recordedAt(positions: PublishedPosition[]): Promise<TrailRow[]> {
  return waitFor(`the trail records all ${positions.length} published messages`, async () => {
    const byPosition = await trail.byPosition(topics.disclosures);
    const rows: TrailRow[] = [];
    for (const position of positions) {
      const row = byPosition.get(positionKey(position));
      if (row === undefined) return undefined;
      rows.push(row);
    }
    return rows;
  });
}

describe('the examples file', () => {
  let positions: PublishedPosition[];
  let rows: TrailRow[];
  let expected: Judgement[];

  beforeAll(async () => {
    // The message timestamp is the moment of receipt that impossible times are judged against (spec section 7).
    const sentAt = Date.now();
    expected = exampleLines.map((line) => judgeMessage(line, register, sentAt));
    positions = await publishWithPositions(
      kafka,
      topics.disclosures,
      exampleLines.map((line) => ({ value: line, timestamp: String(sentAt) })),
    );
    rows = await recordedAt(positions);
  });

  it('covers every verdict and every flag code of spec section 5', () => {
    expect(new Set(expected.map((judgement) => judgement.verdict))).toEqual(
      new Set(['compliant', 'flagged', 'rejected']),
    );
    const raised = new Set(expected.flatMap((judgement) => judgement.flags.map((flag) => flag.code)));
    expect([...raised].sort()).toEqual([...FLAG_CODES].sort());
  });

  it("plumbing: records each line with the verdict and flag codes the auditor's own checker gives it", () => {
    // Expected values come from judgeMessage, the code under test: this proves the path to the trail, not the
    // verdicts. The verdicts themselves are the next test's fixed expectations and the checker's unit tests.
    const recorded = rows.map((row) => ({
      verdict: row.verdict,
      flags: row.flagCodes,
      eventId: row.eventId,
    }));
    const judged = expected.map((judgement) => ({
      verdict: judgement.verdict,
      flags: judgement.flags.map((flag) => flag.code),
      eventId: judgement.eventId,
    }));
    expect(recorded).toEqual(judged);
    const everyCode = new Set(rows.flatMap((row) => row.flagCodes));
    expect([...everyCode].sort()).toEqual([...FLAG_CODES].sort());
  });

  it('records the verdicts README.md documents for the examples (fixed expectations)', () => {
    const byEventId = (eventId: string) => rows.find((row) => row.eventId === eventId)!;
    const byRaw = (text: string) => rows.find((row) => row.raw?.toString('utf8').includes(text))!;

    expect(byEventId('6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9001')).toMatchObject({
      kind: 'disclosure',
      verdict: 'compliant',
      flagCodes: [],
    });
    expect(byEventId('6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9006')).toMatchObject({
      verdict: 'flagged',
      flagCodes: ['PURPOSE_NOT_IN_NOTICE'],
    });
    expect(byRaw('this line is not JSON')).toMatchObject({ kind: 'rejected', eventId: null });
    expect(byRaw('this line is not JSON').errors).toEqual([
      expect.stringMatching(/^message is not valid JSON/),
    ]);
    expect(byRaw('"eventId":"not-a-uuid"')).toMatchObject({ kind: 'rejected', eventId: null });
    expect(byRaw('"eventId":"not-a-uuid"').errors).toEqual([
      'eventId: "not-a-uuid" is not a UUID (8-4-4-4-12 hexadecimal digits)',
      'recipient.country: "UK" is not an ISO 3166-1 alpha-2 country code (use GB for the United Kingdom)',
    ]);
  });

  it('keeps the original bytes and the reasons of each rejected line in the trail', () => {
    const rejected = expected.flatMap((judgement, index) =>
      judgement.verdict === 'rejected' ? [index] : [],
    );
    expect(rejected.length).toBeGreaterThan(0);
    for (const index of rejected) {
      expect(rows[index].kind).toBe('rejected');
      expect(rows[index].raw?.toString('utf8')).toBe(exampleLines[index]);
      expect(rows[index].errors).toEqual(expected[index].errors);
      expect(rows[index].errors.length).toBeGreaterThan(0);
    }
  });

  it('rejects the impossible times of spec section 7, keeping the eventId and the reason', () => {
    const byEventId = (eventId: string) => rows.find((row) => row.eventId === eventId);
    // examples line 27: occurredAt 2099-01-01; line 28: collectedAt a day after occurredAt.
    expect(byEventId('6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9027')).toMatchObject({
      kind: 'rejected',
      verdict: 'rejected',
    });
    expect(byEventId('6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9027')!.errors).toEqual([
      expect.stringMatching(
        /^occurredAt is in the future: 2099-01-01T00:00:00Z is more than 5 minutes after/,
      ),
    ]);
    expect(byEventId('6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9028')).toMatchObject({
      kind: 'rejected',
      verdict: 'rejected',
    });
    expect(byEventId('6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9028')!.errors).toEqual([
      expect.stringMatching(/^collectedAt is later than occurredAt/),
    ]);
  });

  it('plumbing: publishes each event the checker flags to the flagged topic, keyed by eventId, pointing at its trail entry', async () => {
    const flagged = expected.flatMap((judgement, index) => (judgement.verdict === 'flagged' ? [index] : []));
    expect(flagged.length).toBeGreaterThan(0);
    const messages = await waitFor('every flagged event is on the flagged topic', async () => {
      const received = recorder.on(topics.flagged);
      return received.length >= flagged.length ? received : undefined;
    });
    expect(messages).toHaveLength(flagged.length);
    for (const index of flagged) {
      const eventId = expected[index].eventId!;
      const message = messages.find((candidate) => candidate.key?.toString('utf8') === eventId);
      expect(message).toBeDefined();
      const body = JSON.parse(message!.value!.toString('utf8')) as {
        eventId: string;
        flags: { code: string }[];
        trail: unknown;
      };
      expect(body.eventId).toBe(eventId);
      expect(body.flags.map((flag) => flag.code)).toEqual(expected[index].flags.map((flag) => flag.code));
      expect(body.trail).toEqual({
        chain: rows[index].chainId,
        seq: rows[index].seq,
        entryHash: rows[index].entryHash,
      });
    }
  });

  it('plumbing: dead-letters each line the checker rejects with its original bytes and an x-reject-reasons header', async () => {
    const rejected = expected.flatMap((judgement, index) =>
      judgement.verdict === 'rejected' ? [index] : [],
    );
    const messages = await waitFor('every rejected line is on the dead-letter topic', async () => {
      const received = recorder.on(topics.deadLetter);
      return received.length >= rejected.length ? received : undefined;
    });
    expect(messages).toHaveLength(rejected.length);
    for (const index of rejected) {
      const message = messages.find(
        (candidate) =>
          candidate.headers['x-source-partition'] === String(positions[index].partition) &&
          candidate.headers['x-source-offset'] === positions[index].offset,
      );
      expect(message).toBeDefined();
      expect(message!.value?.toString('utf8')).toBe(exampleLines[index]);
      expect(JSON.parse(message!.headers['x-reject-reasons'])).toEqual(expected[index].errors);
    }
  });
});

describe('CloudEvents in the Kafka protocol binding', () => {
  const ceHeaders = (id: string) => ({
    ce_specversion: '1.0',
    ce_id: id,
    ce_type: 'uk.gov.council.disclosure.v1',
    ce_source: '/councils/leicester/housing',
  });

  it('records binary and structured mode events, and rejects a ce_id that names another event', async () => {
    const binary = disclosureEvent();
    const structured = disclosureEvent({ recipient: { name: 'HMRC' } });
    const mismatched = disclosureEvent();
    const structuredMismatch = disclosureEvent();
    const otherId = disclosureEvent().eventId;
    const positions = await publishWithPositions(kafka, topics.disclosures, [
      { value: JSON.stringify(binary), headers: ceHeaders(binary.eventId) },
      {
        value: JSON.stringify({
          specversion: '1.0',
          id: structured.eventId,
          type: 'uk.gov.council.disclosure.v1',
          source: '/councils/leicester/housing',
          datacontenttype: 'application/json',
          data: structured,
        }),
        headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      },
      { value: JSON.stringify(mismatched), headers: ceHeaders(otherId) },
      {
        value: JSON.stringify({
          specversion: '1.0',
          id: otherId,
          type: 'uk.gov.council.disclosure.v1',
          source: '/councils/leicester/housing',
          data: structuredMismatch,
        }),
        headers: { 'content-type': 'application/cloudevents+json' },
      },
    ]);
    const [binaryRow, structuredRow, mismatchRow, structuredMismatchRow] = await recordedAt(positions);

    // The fixture's housing → police disclosure, and the same to HMRC, are compliant (as the CLI's tests expect).
    expect(binaryRow).toMatchObject({
      kind: 'disclosure',
      eventId: binary.eventId,
      verdict: 'compliant',
      flagCodes: [],
    });
    expect(binaryRow.headers.ce_id).toBe(binary.eventId);

    expect(structuredRow).toMatchObject({
      kind: 'disclosure',
      eventId: structured.eventId,
      verdict: 'compliant',
      flagCodes: [],
    });

    for (const [row, event] of [
      [mismatchRow, mismatched],
      [structuredMismatchRow, structuredMismatch],
    ] as const) {
      expect(row).toMatchObject({ kind: 'rejected', verdict: 'rejected', eventId: event.eventId });
      expect(row.errors.join('\n')).toContain(otherId);
      expect(row.errors.join('\n')).toMatch(/does not match/);
    }

    await waitFor(
      'the auditor commits everything it read',
      async () => (await consumerGroupLag(admin, topics.groupId, topics.disclosures)) === 0,
    );
  });
});

describe('the moment of receipt is the Kafka message timestamp', () => {
  it('rejects an occurredAt more than 5 minutes after the message timestamp, and accepts one within 5 minutes', async () => {
    const sentAt = Date.parse('2026-06-01T12:00:00Z');
    const late = disclosureEvent({ occurredAt: '2026-06-01T12:05:01Z', collectedAt: '2026-05-01T00:00:00Z' });
    const inTime = disclosureEvent({
      occurredAt: '2026-06-01T12:05:00Z',
      collectedAt: '2026-05-01T00:00:00Z',
    });
    const positions = await publishWithPositions(
      kafka,
      topics.disclosures,
      [late, inTime].map((event) => ({ value: JSON.stringify(event), timestamp: String(sentAt) })),
    );
    const [lateRow, inTimeRow] = await recordedAt(positions);
    expect(lateRow).toMatchObject({ kind: 'rejected', verdict: 'rejected', eventId: late.eventId });
    expect(lateRow.errors[0]).toContain('(2026-06-01T12:00:00.000Z)');
    expect(inTimeRow).toMatchObject({ kind: 'disclosure', verdict: 'compliant', eventId: inTime.eventId });
  });
});

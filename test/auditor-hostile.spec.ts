import type { Admin, Kafka } from 'kafkajs';

import { judgeMessage } from '#libs/checker';
import { defaultRegisterDir, loadRegister } from '#libs/register';
import { disclosureEvent, createRunDatabase, migrateTestDatabase, type RunDatabase } from '#libs/testing';

import { auditorVariables, startInProcessAuditor, type InProcessAuditor } from './support/auditor-process.js';
import { waitFor } from './support/eventually.js';
import {
  HOSTILE_TOPIC_MAX_MESSAGE_BYTES,
  hostileCorpus,
  type HostileMessage,
} from './support/hostile-corpus.js';
import {
  consumerGroupLag,
  createRunTopics,
  publishWithPositions,
  runTopics,
  testKafka,
  TopicRecorder,
  type OutgoingMessage,
} from './support/kafka-client.js';
import { positionKey, TrailReader } from './support/trail-reader.js';

/** Issue "Bad input": hostile messages interleaved with valid ones, through the real broker and database. */
const topics = runTopics('hostile');

let database: RunDatabase;
let kafka: Kafka;
let admin: Admin;
let auditor: InProcessAuditor;
let recorder: TopicRecorder;
let trail: TrailReader;

beforeAll(async () => {
  database = await createRunDatabase('disclosure_audit_e2e_hostile');
  await migrateTestDatabase(database.url);
  kafka = testKafka(topics.clientId);
  admin = kafka.admin();
  await admin.connect();
  await createRunTopics(admin, topics, { maxMessageBytes: HOSTILE_TOPIC_MAX_MESSAGE_BYTES });
  recorder = await TopicRecorder.start(kafka, [topics.deadLetter]);
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

type Sent = { hostile: HostileMessage } | { valid: string };

it('rejects and dead-letters every hostile message, records every valid one, and stays healthy', async () => {
  const register = loadRegister(defaultRegisterDir());
  const corpus = hostileCorpus();
  const sent: Sent[] = corpus.flatMap((hostile) => [
    { hostile },
    { valid: JSON.stringify(disclosureEvent()) },
  ]);
  const outgoing: OutgoingMessage[] = sent.map((item) =>
    'hostile' in item ? { value: item.hostile.value, headers: item.hostile.headers } : { value: item.valid },
  );
  const positions = await publishWithPositions(kafka, topics.disclosures, outgoing, { chunkSize: 20 });

  const byPosition = await waitFor(
    `the trail records all ${sent.length} messages`,
    async () => {
      const rows = await trail.byPosition(topics.disclosures);
      return positions.every((position) => rows.has(positionKey(position))) ? rows : undefined;
    },
    { intervalMs: 500 },
  );

  const problems: string[] = [];
  sent.forEach((item, index) => {
    const row = byPosition.get(positionKey(positions[index]))!;
    if ('valid' in item) {
      const expected = judgeMessage(item.valid, register, Date.now());
      if (row.kind !== 'disclosure' || row.verdict !== expected.verdict) {
        problems.push(`valid event at ${index} recorded as ${row.kind}/${row.verdict}`);
      }
      return;
    }
    const { label, value } = item.hostile;
    if (row.kind !== 'rejected' || row.verdict !== 'rejected')
      problems.push(`${label}: recorded as ${row.kind}`);
    if (row.errors.length === 0 || row.errors.some((reason) => reason.trim() === '')) {
      problems.push(`${label}: no reason recorded`);
    }
    if (!row.raw?.equals(value ?? Buffer.alloc(0))) problems.push(`${label}: original bytes not kept`);
  });
  expect(problems).toEqual([]);

  const hostileIndexes = sent.flatMap((item, index) => ('hostile' in item ? [index] : []));
  const deadLetters = await waitFor(
    'every hostile message is on the dead-letter topic',
    async () => {
      const received = recorder.on(topics.deadLetter);
      return received.length >= hostileIndexes.length ? received : undefined;
    },
    { intervalMs: 500 },
  );
  expect(deadLetters).toHaveLength(hostileIndexes.length);
  for (const index of hostileIndexes) {
    const { label, value } = (sent[index] as { hostile: HostileMessage }).hostile;
    const letter = deadLetters.find(
      (candidate) =>
        candidate.headers['x-source-partition'] === String(positions[index].partition) &&
        candidate.headers['x-source-offset'] === positions[index].offset,
    );
    expect({ label, found: letter !== undefined }).toEqual({ label, found: true });
    const reasons = JSON.parse(letter!.headers['x-reject-reasons']) as string[];
    expect({ label, reasons: reasons.length > 0 }).toEqual({ label, reasons: true });
    expect({ label, same: (letter!.value ?? Buffer.alloc(0)).equals(value ?? Buffer.alloc(0)) }).toEqual({
      label,
      same: true,
    });
  }

  const health = await fetch(`${auditor.baseUrl}/health`);
  expect(health.status).toBe(200);
  await waitFor(
    'the auditor has committed every message (lag 0)',
    async () => (await consumerGroupLag(admin, topics.groupId, topics.disclosures)) === 0,
  );
  expect(await trail.verifyChains()).toMatchObject({ ok: true, entries: sent.length, mismatches: 0 });
});

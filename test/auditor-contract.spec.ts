import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Admin, Kafka } from 'kafkajs';

import {
  AsyncApiContract,
  createRunDatabase,
  disclosureEvent,
  migrateTestDatabase,
  type RunDatabase,
} from '#libs/testing';

import {
  auditorVariables,
  REPO_ROOT,
  startInProcessAuditor,
  type InProcessAuditor,
} from './support/auditor-process.js';
import { waitFor } from './support/eventually.js';
import {
  createRunTopics,
  publishWithPositions,
  runTopics,
  testKafka,
  TopicRecorder,
  type OutgoingMessage,
  type ReceivedMessage,
} from './support/kafka-client.js';
import { TrailReader, type TrailRow } from './support/trail-reader.js';

/**
 * The contract test of the auditor's outputs: what a running auditor really publishes on the flagged and
 * dead-letter topics, consumed from the broker and validated against asyncapi.yaml as @asyncapi/parser reads it
 * (payload schemas with Ajv; for dead letters the required headers and their formats).
 */
const topics = runTopics('contract');
const exampleLines = readFileSync(join(REPO_ROOT, 'examples', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

let contract: AsyncApiContract;
let database: RunDatabase;
let kafka: Kafka;
let admin: Admin;
let auditor: InProcessAuditor;
let recorder: TopicRecorder;
let trail: TrailReader;
let rows: TrailRow[];

beforeAll(async () => {
  contract = await AsyncApiContract.load();
  database = await createRunDatabase('disclosure_audit_e2e_contract');
  await migrateTestDatabase(database.url);
  kafka = testKafka(topics.clientId);
  admin = kafka.admin();
  await admin.connect();
  await createRunTopics(admin, topics);
  recorder = await TopicRecorder.start(kafka, [topics.flagged, topics.deadLetter]);
  auditor = await startInProcessAuditor(auditorVariables(topics, database.url));
  trail = await TrailReader.open(database.url);

  const binaryMode = disclosureEvent({ recipient: { name: 'HMRC' } });
  const sent: OutgoingMessage[] = [
    ...exampleLines.map((line) => ({ value: line })),
    {
      value: JSON.stringify(binaryMode),
      headers: {
        ce_specversion: '1.0',
        ce_id: binaryMode.eventId,
        ce_type: 'uk.gov.council.disclosure.v1',
        ce_source: '/councils/leicester/housing',
      },
    },
    { value: Buffer.from([0xff, 0xfe, 0x00, 0x7b]), key: 'not-utf-8' },
    { value: Buffer.alloc(0) },
  ];
  await publishWithPositions(kafka, topics.disclosures, sent);
  rows = await waitFor('the trail records every published message', async () => {
    const recorded = await trail.rows(topics.disclosures);
    return recorded.length === sent.length ? recorded : undefined;
  });
});

afterAll(async () => {
  await auditor?.stop();
  await recorder?.stop();
  await trail?.close();
  await admin?.disconnect();
  await database?.drop();
});

/** Waits until the topic holds as many messages as the trail says the auditor must have published there. */
async function published(topic: string, expected: number): Promise<ReceivedMessage[]> {
  return waitFor(`${expected} messages on ${topic}`, async () => {
    const received = recorder.on(topic);
    return received.length >= expected ? received : undefined;
  });
}

it('publishes flagged disclosures that the FlaggedDisclosure message of asyncapi.yaml accepts', async () => {
  const flaggedRows = rows.filter((row) => row.kind === 'disclosure' && row.verdict === 'flagged');
  expect(flaggedRows.length).toBeGreaterThan(5);

  const messages = await published(topics.flagged, flaggedRows.length);

  expect(messages).toHaveLength(flaggedRows.length);
  for (const message of messages) expect(contract.problems('flagged', message)).toEqual([]);
  const recordedVersion = JSON.parse(messages[0].value!.toString('utf8')) as { registerVersion: unknown };
  expect(recordedVersion.registerVersion).toEqual({
    id: expect.any(String),
    contentHash: expect.any(String),
  });
});

it('dead-letters rejected messages with the headers and formats of the RejectedMessage of asyncapi.yaml', async () => {
  const rejectedRows = rows.filter((row) => row.kind === 'rejected');
  expect(rejectedRows.length).toBeGreaterThan(3);

  const messages = await published(topics.deadLetter, rejectedRows.length);

  expect(messages).toHaveLength(rejectedRows.length);
  for (const message of messages) expect(contract.problems('deadLetter', message)).toEqual([]);
  const notUtf8 = messages.find((message) => message.key?.toString() === 'not-utf-8');
  expect(notUtf8?.value).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
});

it('would notice a message that breaks the contract (the check is not vacuous)', async () => {
  const [flagged] = await published(topics.flagged, 1);
  const body = JSON.parse(flagged.value!.toString('utf8')) as Record<string, unknown>;
  const broken = {
    ...flagged,
    value: Buffer.from(JSON.stringify({ ...body, registerVersion: '2021-01-01' })),
  };
  const [deadLetter] = await published(topics.deadLetter, 1);
  const headers = Object.fromEntries(
    Object.entries(deadLetter.headers).filter(([name]) => name !== 'x-source-offset'),
  );

  expect(contract.problems('flagged', broken)).not.toEqual([]);
  expect(contract.problems('deadLetter', { ...deadLetter, headers })).not.toEqual([]);
});

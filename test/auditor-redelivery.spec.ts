import type { Admin, Kafka } from 'kafkajs';

import { disclosureEvent, createRunDatabase, migrateTestDatabase, type RunDatabase } from '#libs/testing';

import { auditorVariables, startInProcessAuditor, type InProcessAuditor } from './support/auditor-process.js';
import { waitFor } from './support/eventually.js';
import {
  consumerGroupLag,
  createRunTopics,
  publishWithPositions,
  runTopics,
  testKafka,
} from './support/kafka-client.js';
import { TrailReader } from './support/trail-reader.js';

/** Kafka delivers at least once and publishers retry: neither may put an event in the trail twice. */
const topics = runTopics('redelivery');

let database: RunDatabase;
let kafka: Kafka;
let admin: Admin;
let auditor: InProcessAuditor | undefined;
let trail: TrailReader;

async function startAuditor(): Promise<void> {
  auditor = await startInProcessAuditor(auditorVariables(topics, database.url));
}

async function stopAuditor(): Promise<void> {
  await auditor?.stop();
  auditor = undefined;
}

async function waitUntilCaughtUp(): Promise<void> {
  await waitFor(
    'the auditor has committed every message of its topic',
    async () => (await consumerGroupLag(admin, topics.groupId, topics.disclosures)) === 0,
  );
}

async function entriesOf(eventId: string) {
  return (await trail.rows(topics.disclosures)).filter((row) => row.eventId === eventId);
}

beforeAll(async () => {
  database = await createRunDatabase('disclosure_audit_e2e_redelivery');
  await migrateTestDatabase(database.url);
  kafka = testKafka(topics.clientId);
  admin = kafka.admin();
  await admin.connect();
  await createRunTopics(admin, topics);
  trail = await TrailReader.open(database.url);
  await startAuditor();
});

afterAll(async () => {
  await stopAuditor();
  await trail?.close();
  await admin?.disconnect();
  await database?.drop();
});

it('records a republished event once, a changed one as a conflict, and nothing again on replay', async () => {
  const event = disclosureEvent();
  await publishWithPositions(kafka, topics.disclosures, [{ value: JSON.stringify(event) }]);
  const [original] = await waitFor('the event is recorded', async () => {
    const entries = await entriesOf(event.eventId);
    return entries.length === 1 ? entries : undefined;
  });
  expect(original.kind).toBe('disclosure');

  // The same event published again (a publisher's retry) lands on another offset and must be recognised by eventId.
  await publishWithPositions(kafka, topics.disclosures, [{ value: JSON.stringify(event) }], {
    partitions: 1,
  });
  await waitUntilCaughtUp();
  expect(await entriesOf(event.eventId)).toEqual([original]);

  const changed = { ...event, recordCount: (event.recordCount ?? 1) + 41 };
  await publishWithPositions(kafka, topics.disclosures, [{ value: JSON.stringify(changed) }]);
  const entries = await waitFor('the changed event is recorded as a conflict', async () => {
    const found = await entriesOf(event.eventId);
    return found.length === 2 ? found : undefined;
  });
  expect(entries[0]).toEqual(original);
  expect(entries[1]).toMatchObject({ kind: 'conflict', eventId: event.eventId });
  await waitUntilCaughtUp();

  const before = await trail.rows(topics.disclosures);
  await stopAuditor();
  await waitFor('the stopped auditor has left its consumer group', async () => {
    const description = await admin.describeGroups([topics.groupId]);
    return description.groups[0]?.members.length === 0;
  });
  await admin.resetOffsets({ groupId: topics.groupId, topic: topics.disclosures, earliest: true });
  expect(await consumerGroupLag(admin, topics.groupId, topics.disclosures)).toBe(3);

  await startAuditor();
  await waitUntilCaughtUp();
  expect(await trail.rows(topics.disclosures)).toEqual(before);

  const report = await trail.verifyChains();
  expect(report).toMatchObject({ ok: true, entries: before.length, mismatches: 0 });
});

import type { Admin, Kafka } from 'kafkajs';
import pg from 'pg';

import { createRunDatabase, migrateTestDatabase, type RunDatabase } from '#libs/testing';

import { mixedLine } from '../bench/event-mix.js';
import { auditorVariables, ChildAuditor, ensureAuditorBuilt, freePort } from './support/auditor-process.js';
import { waitFor } from './support/eventually.js';
import {
  consumerGroupLag,
  createRunTopics,
  publishWithPositions,
  runTopics,
  testKafka,
} from './support/kafka-client.js';
import { positionKey, TrailReader } from './support/trail-reader.js';

/**
 * SIGKILL while batches are being recorded: nothing acknowledged is lost (offsets commit after the transaction)
 * and nothing is recorded twice (the trail refuses an offset or an event it already holds).
 */
const topics = runTopics('crash');
const EVENTS = 20_000;
/** Small transactions, so that the kill lands between and inside many of them. */
const BATCH_MAX_MESSAGES = '250';

let database: RunDatabase;
let kafka: Kafka;
let admin: Admin;
let trail: TrailReader;
let superuser: pg.Client;
const auditors: ChildAuditor[] = [];

beforeAll(async () => {
  ensureAuditorBuilt();
  database = await createRunDatabase('disclosure_audit_e2e_crash');
  await migrateTestDatabase(database.url);
  kafka = testKafka(topics.clientId);
  admin = kafka.admin();
  await admin.connect();
  await createRunTopics(admin, topics);
  trail = await TrailReader.open(database.url);
  superuser = new pg.Client({ connectionString: database.url });
  await superuser.connect();
});

afterAll(async () => {
  for (const auditor of auditors) await auditor.stop();
  await superuser?.end();
  await trail?.close();
  await admin?.disconnect();
  await database?.drop();
});

async function startChild(): Promise<ChildAuditor> {
  const auditor = new ChildAuditor(
    auditorVariables(topics, database.url, {
      HTTP_PORT: String(await freePort()),
      BATCH_MAX_MESSAGES,
    }),
  );
  auditors.push(auditor);
  await auditor.start();
  return auditor;
}

it('loses and duplicates nothing when the auditor is killed mid-run and restarted', async () => {
  const lines = Array.from({ length: EVENTS }, (_, index) => ({ value: mixedLine(index) }));
  const positions = await publishWithPositions(kafka, topics.disclosures, lines);
  expect(positions).toHaveLength(EVENTS);

  const first = await startChild();
  await waitFor(
    'the auditor has recorded part of the backlog',
    async () => (await trail.count(topics.disclosures)) >= 1_000,
    { intervalMs: 20 },
  );
  expect(await first.kill('SIGKILL')).toBe('SIGKILL');
  const recordedAtKill = await trail.count(topics.disclosures);
  expect(recordedAtKill).toBeLessThan(EVENTS);

  // The killed member stays in the group until its session times out (30 s), so the restart waits for that.
  await startChild();
  await waitFor(
    `all ${EVENTS} messages are recorded`,
    async () => (await trail.count(topics.disclosures)) === EVENTS,
    { timeoutMs: 90_000, intervalMs: 250 },
  );
  await waitFor(
    'the restarted auditor has committed its offsets',
    async () => (await consumerGroupLag(admin, topics.groupId, topics.disclosures)) === 0,
  );

  const rows = await trail.rows(topics.disclosures, { withRaw: false });
  expect(rows).toHaveLength(EVENTS);
  const recorded = new Set(rows.map(positionKey));
  expect(positions.filter((position) => !recorded.has(positionKey(position)))).toEqual([]);

  const { rows: duplicates } = await superuser.query(
    `SELECT event_id FROM audit_entry WHERE kind = 'disclosure' GROUP BY event_id HAVING count(*) > 1`,
  );
  expect(duplicates).toEqual([]);
  expect(rows.filter((row) => row.kind === 'conflict')).toEqual([]);
  const expectedRejected = lines.filter((_, index) => index % 20 === 19).length;
  expect(rows.filter((row) => row.kind === 'rejected')).toHaveLength(expectedRejected);

  const report = await trail.verifyChains();
  expect(report).toMatchObject({ ok: true, entries: EVENTS, mismatches: 0 });
  process.stdout.write(`crash test: ${recordedAtKill} of ${EVENTS} recorded when the auditor was killed\n`);
}, 180_000);

import { Writable } from 'node:stream';

import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';

import { createLogger, loadEnvironment } from '#libs/infrastructure';
import { createRunDatabase, disclosureEvent, migrateTestDatabase, type RunDatabase } from '#libs/testing';

import { AuditorModule } from '../apps/auditor/src/auditor.module.js';
import { LOGGER } from '../apps/auditor/src/auditor.tokens.js';
import type { DisclosureMessage } from '../apps/auditor/src/disclosures/dtos/record-disclosures.command.js';
import { MessageJudge } from '../apps/auditor/src/disclosures/services/message-judge.service.js';
import { runAuditorApp } from '../apps/auditor/src/main.js';
import { auditorVariables } from './support/auditor-process.js';
import { waitFor } from './support/eventually.js';
import {
  consumerGroupLag,
  createRunTopics,
  publishWithPositions,
  runTopics,
  testKafka,
  TopicRecorder,
} from './support/kafka-client.js';
import { positionKey, TrailReader } from './support/trail-reader.js';

/**
 * One broken message never stalls a partition: a checker that throws on one message (a bug) must not stop the
 * messages around it from being recorded, through the real broker, database, outbox relay and /metrics.
 */
const topics = runTopics('poison');
const POISON_MARK = 'poison-pill-purpose';

/** The real judge, except that it throws on the one event whose purpose carries the mark. */
class JudgeWithABug extends MessageJudge {
  override judge(message: DisclosureMessage) {
    if (message.value?.toString('utf8').includes(POISON_MARK)) {
      throw new TypeError("Cannot read properties of undefined (reading 'lines')");
    }
    return super.judge(message);
  }
}

let database: RunDatabase;
let kafka: Kafka;
let admin: Admin;
let app: INestApplication;
let baseUrl: string;
let recorder: TopicRecorder;
let trail: TrailReader;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  database = await createRunDatabase('disclosure_audit_e2e_poison');
  await migrateTestDatabase(database.url);
  kafka = testKafka(topics.clientId);
  admin = kafka.admin();
  await admin.connect();
  await createRunTopics(admin, topics);
  recorder = await TopicRecorder.start(kafka, [topics.deadLetter]);
  trail = await TrailReader.open(database.url);

  const environment = loadEnvironment(auditorVariables(topics, database.url, { LOG_LEVEL: 'info' }));
  const memory = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const moduleRef = await Test.createTestingModule({ imports: [AuditorModule.forRoot(environment)] })
    .overrideProvider(MessageJudge)
    .useClass(JudgeWithABug)
    .overrideProvider(LOGGER)
    .useValue(createLogger('info', memory))
    .compile();
  app = await runAuditorApp(moduleRef.createNestApplication({ bufferLogs: true }));
  baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  await recorder?.stop();
  await trail?.close();
  await admin?.disconnect();
  await database?.drop();
});

it('records the message whose judging throws as rejected, dead-letters it, and records its neighbours', async () => {
  const before = disclosureEvent();
  const poison = disclosureEvent({ purpose: POISON_MARK });
  const after = disclosureEvent();
  // One partition, so the three are one batch: the poison sits between its neighbours.
  const positions = await publishWithPositions(
    kafka,
    topics.disclosures,
    [before, poison, after].map((event) => ({ value: JSON.stringify(event) })),
    { partitions: 1 },
  );

  const rows = await waitFor('all three messages are in the trail', async () => {
    const byPosition = await trail.byPosition(topics.disclosures);
    const found = positions.map((position) => byPosition.get(positionKey(position)));
    return found.every((row) => row !== undefined) ? found : undefined;
  });

  expect(rows.map((row) => [row.kind, row.eventId])).toEqual([
    ['disclosure', before.eventId],
    ['rejected', null],
    ['disclosure', after.eventId],
  ]);
  expect(rows[1].errors).toEqual(["internal error: Cannot read properties of undefined (reading 'lines')"]);
  expect(rows[1].errors.join('\n')).not.toMatch(/\n|\s+at\s|\.ts:\d+/);
  expect(rows[1].raw?.toString('utf8')).toBe(JSON.stringify(poison));

  const [deadLetter] = await waitFor('the poison message is dead-lettered', async () => {
    const received = recorder.on(topics.deadLetter);
    return received.length > 0 ? received : undefined;
  });
  expect(deadLetter.value?.toString('utf8')).toBe(JSON.stringify(poison));
  expect(JSON.parse(deadLetter.headers['x-reject-reasons'])).toEqual(rows[1].errors);

  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  expect(metrics).toMatch(/^disclosure_audit_internal_errors_total 1$/m);
  expect(metrics).toMatch(/^disclosure_audit_events_total\{verdict="rejected"\} 1$/m);

  // The auditor's own error lines; kafkajs may also log a transient "coordinator is loading" at error level.
  const errors = logLines.filter((line) => line.level === 50 && line.component !== 'kafkajs');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ topic: topics.disclosures, partition: 0, offset: positions[1].offset });
  expect(JSON.stringify(errors[0])).not.toContain(poison.subject.ref);

  await waitFor(
    'the auditor commits the batch (the partition is not stalled)',
    async () => (await consumerGroupLag(admin, topics.groupId, topics.disclosures)) === 0,
  );
});

import { randomUUID } from 'node:crypto';

import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';

/** Proves the integration run talks to a real broker and a real database, not stand-ins. */
describe('integration test services', () => {
  it('carries a message through the Kafka broker', async () => {
    const kafka = new Kafka({
      clientId: 'services-spec',
      brokers: process.env.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
    });
    const topic = `services-spec-${randomUUID()}`;
    const payload = `ping ${randomUUID()}`;

    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: payload }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `services-spec-${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<string>((resolve, reject) => {
        consumer
          .run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) })
          .catch(reject);
      });
      expect(received).toBe(payload);
    } finally {
      await consumer.disconnect();
    }
  });

  it('answers SQL on DATABASE_URL', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; database: string }>(
        'SELECT 1 AS one, current_database() AS database',
      );
      expect(rows).toEqual([{ one: 1, database: new URL(process.env.DATABASE_URL!).pathname.slice(1) }]);
    } finally {
      await client.end();
    }
  });
});

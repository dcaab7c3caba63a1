import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

const READ_TIMEOUT_MS = 120_000;

/**
 * Every message of a topic, from the first offset to the end the broker reports when the read starts. Used only
 * after the auditors have drained their outbox, so that end is final.
 */
export async function readWholeTopic(brokers: string, topic: string): Promise<KafkaMessage[]> {
  const kafka = new Kafka({ clientId: 'chaos-reader', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const partition of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(partition.high) > BigInt(partition.low))
        ends.set(partition.partition, BigInt(partition.high));
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];

  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: `chaos-reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} did not reach its end within ${READ_TIMEOUT_MS / 1000}s`)),
        READ_TIMEOUT_MS,
      );
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition);
            for (const message of batch.messages) {
              if (end !== undefined && BigInt(message.offset) < end) messages.push(message);
            }
            const last = batch.messages[batch.messages.length - 1];
            if (end !== undefined && last !== undefined && BigInt(last.offset) + 1n >= end) {
              ends.delete(batch.partition);
            }
            if (ends.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Admin, type Consumer, type IHeaders, type KafkaMessage } from 'kafkajs';

export function testKafka(clientId: string): Kafka {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers)
    throw new Error('KAFKA_BROKERS is not set; run the integration project (its set-up starts Kafka)');
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Topic and consumer-group names of one test run; the random suffix keeps parallel runs on one broker apart. */
export interface RunTopics {
  disclosures: string;
  flagged: string;
  deadLetter: string;
  groupId: string;
  clientId: string;
}

export const DISCLOSURE_PARTITIONS = 6;

export function runTopics(label: string): RunTopics {
  const suffix = randomUUID().slice(0, 8);
  return {
    disclosures: `e2e-${label}-${suffix}.disclosures`,
    flagged: `e2e-${label}-${suffix}.flagged`,
    deadLetter: `e2e-${label}-${suffix}.dlq`,
    groupId: `e2e-${label}-${suffix}-auditor`,
    clientId: `e2e-${label}-${suffix}`,
  };
}

/**
 * Creates the run's topics before the auditor starts (it only creates missing ones), so a test can raise the
 * per-topic size limit: the broker's default of about 1 MB would refuse the hostile corpus' largest value.
 */
export async function createRunTopics(
  admin: Admin,
  topics: RunTopics,
  { maxMessageBytes }: { maxMessageBytes?: number } = {},
): Promise<void> {
  const configEntries =
    maxMessageBytes === undefined ? [] : [{ name: 'max.message.bytes', value: String(maxMessageBytes) }];
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.disclosures, numPartitions: DISCLOSURE_PARTITIONS, configEntries },
      { topic: topics.flagged, numPartitions: 3 },
      { topic: topics.deadLetter, numPartitions: 3, configEntries },
    ],
  });
}

export interface OutgoingMessage {
  value: Buffer | string | null;
  key?: Buffer | string | null;
  headers?: IHeaders;
  /** The message timestamp (ms since epoch, as text); the producer's clock when absent. */
  timestamp?: string;
}

/** Where a published message landed; the trail is keyed the same way. */
export interface PublishedPosition {
  partition: number;
  offset: string;
}

/**
 * Publishes messages round-robin over the partitions, in order, and returns each message's partition and offset.
 * Offsets are derived from each partition's base offset: one send writes one contiguous record batch per partition.
 */
export async function publishWithPositions(
  kafka: Kafka,
  topic: string,
  messages: readonly OutgoingMessage[],
  { partitions = DISCLOSURE_PARTITIONS, chunkSize = 2_000 }: { partitions?: number; chunkSize?: number } = {},
): Promise<PublishedPosition[]> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const positions: PublishedPosition[] = [];
  try {
    for (let start = 0; start < messages.length; start += chunkSize) {
      const chunk = messages.slice(start, start + chunkSize);
      const assigned = chunk.map((_, index) => (start + index) % partitions);
      const metadata = await producer.send({
        topic,
        acks: -1,
        messages: chunk.map((message, index) => ({
          partition: assigned[index],
          key: message.key ?? null,
          value: message.value,
          headers: message.headers,
          timestamp: message.timestamp,
        })),
      });
      const nextOffset = new Map<number, bigint>(
        metadata.map((entry) => [entry.partition, BigInt(entry.baseOffset ?? '0')]),
      );
      for (const partition of assigned) {
        const offset = nextOffset.get(partition);
        if (offset === undefined) throw new Error(`the broker did not acknowledge partition ${partition}`);
        positions.push({ partition, offset: offset.toString() });
        nextOffset.set(partition, offset + 1n);
      }
    }
  } finally {
    await producer.disconnect();
  }
  return positions;
}

/** How many messages of the topic the group has not committed yet, summed over partitions. */
export async function consumerGroupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  let lag = 0n;
  for (const end of ends) {
    const own = committed?.partitions.find((partition) => partition.partition === end.partition);
    const position = own !== undefined && BigInt(own.offset) >= 0n ? BigInt(own.offset) : BigInt(end.low);
    lag += BigInt(end.high) - position;
  }
  return Number(lag);
}

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads topics from the beginning into memory, for asserting what the auditor published. */
export class TopicRecorder {
  readonly received: ReceivedMessage[] = [];
  private readonly consumer: Consumer;

  private constructor(kafka: Kafka) {
    // Large enough for the hostile corpus' biggest dead letter in one fetch.
    this.consumer = kafka.consumer({
      groupId: `e2e-recorder-${randomUUID()}`,
      maxBytesPerPartition: 16 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
    });
  }

  static async start(kafka: Kafka, topics: string[]): Promise<TopicRecorder> {
    const recorder = new TopicRecorder(kafka);
    await recorder.consumer.connect();
    await recorder.consumer.subscribe({ topics, fromBeginning: true });
    await recorder.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        recorder.received.push(receivedMessage(topic, partition, message));
      },
    });
    return recorder;
  }

  on(topic: string): ReceivedMessage[] {
    return this.received.filter((message) => message.topic === topic);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

function receivedMessage(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) headers[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return { topic, partition, offset: message.offset, key: message.key, value: message.value, headers };
}

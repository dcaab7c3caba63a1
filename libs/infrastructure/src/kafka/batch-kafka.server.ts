import { ServerKafka, type KafkaOptions } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';

/** The handler pattern every batch is delivered to, whatever the topic is called in this deployment. */
export const MESSAGE_BATCH_PATTERN = 'kafka.message-batch';

export interface BatchMessage {
  offset: string;
  /** The broker's timestamp, ms since epoch, as a string (kafkajs' form). */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** What the batch handler receives: consecutive messages of one partition. */
export interface MessageBatch {
  topic: string;
  partition: number;
  messages: BatchMessage[];
  /** How far this partition's consumer is behind the end of the log, after this batch. */
  lag: number;
}

export interface BatchKafkaOptions {
  /** The application's one Kafka client; the transport makes its consumer (and Nest's producer) from it. */
  client: Kafka;
  /** Consumer settings (group id, session timeout…); client settings come with {@link client}. */
  kafka: Pick<Required<KafkaOptions>['options'], 'consumer'>;
  topics: string[];
  /** Messages handed to the handler at once; its transaction commits before the offsets do. */
  maxBatchMessages: number;
  partitionsConcurrently: number;
}

/**
 * A Kafka transport that consumes whole batches and commits offsets only after the handler has finished,
 * i.e. after the batch's database transaction has committed. The stock transport handles one message at a time
 * and commits on its own, which would lose messages when the process dies between the commit and the write.
 */
export class BatchKafkaServer extends ServerKafka {
  constructor(private readonly batchOptions: BatchKafkaOptions) {
    super({ ...batchOptions.kafka, postfixId: '' });
  }

  override async createClient<T = Kafka>(): Promise<T> {
    return this.batchOptions.client as T;
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    const handler = this.getHandlerByPattern(MESSAGE_BATCH_PATTERN);
    if (!handler)
      throw new Error(`no handler for ${MESSAGE_BATCH_PATTERN}; add @EventPattern(MESSAGE_BATCH_PATTERN)`);
    await consumer.subscribe({ topics: this.batchOptions.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.batchOptions.partitionsConcurrently,
      eachBatch: async (payload) => {
        for (const chunk of chunks(payload.batch.messages, this.batchOptions.maxBatchMessages)) {
          // A rebalance may have given this partition to another instance: stop rather than write stale work.
          if (!payload.isRunning() || payload.isStale()) return;
          const lastOffset = chunk[chunk.length - 1].offset;
          const batch: MessageBatch = {
            topic: payload.batch.topic,
            partition: payload.batch.partition,
            messages: chunk.map(({ offset, timestamp, key, value, headers }) => ({
              offset,
              timestamp,
              key: key ?? null,
              value: value ?? null,
              headers: headers ?? {},
            })),
            lag: lagAfter(payload, lastOffset),
          };
          // An error thrown here leaves the offsets uncommitted; kafkajs retries the batch.
          const result: unknown = await handler(batch);
          if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          payload.resolveOffset(lastOffset);
          // With autoCommit off, kafkajs commits only the offsets it is given.
          await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
          await payload.heartbeat();
        }
      },
    });
  }
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

function lagAfter(payload: EachBatchPayload, offset: string): number {
  const highWatermark = BigInt(payload.batch.highWatermark);
  const lag = highWatermark - BigInt(offset) - 1n;
  return lag > 0n ? Number(lag) : 0;
}

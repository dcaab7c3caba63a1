import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

import { BatchKafkaServer, ENVIRONMENT, kafkaLogCreator, type EnvironmentDto } from '#libs/infrastructure';

import { KAFKA, LOGGER } from '../auditor.tokens.js';

/** Creates the topics the auditor reads and writes when the broker does not have them yet, before anything subscribes. */
@Injectable()
export class KafkaTopics implements OnModuleInit {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(ENVIRONMENT) private readonly environment: EnvironmentDto,
  ) {}

  async onModuleInit(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const wanted = [
        { topic: this.environment.DISCLOSURES_TOPIC, numPartitions: 6 },
        { topic: this.environment.FLAGGED_TOPIC, numPartitions: 3 },
        { topic: this.environment.DLQ_TOPIC, numPartitions: 3 },
      ].filter(({ topic }) => !existing.has(topic));
      if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * The auditor's one Kafka client, and the batch transport that consumes the disclosures topic with it. The outbox
 * relay's producer, the transport's consumer and the topic set-up all come from this client.
 */
@Module({
  providers: [
    {
      provide: KAFKA,
      useFactory: (environment: EnvironmentDto, logger: Logger) =>
        new Kafka({
          clientId: environment.KAFKA_CLIENT_ID,
          brokers: environment.KAFKA_BROKERS.split(','),
          logLevel: logLevel.WARN,
          logCreator: kafkaLogCreator(logger),
        }),
      inject: [ENVIRONMENT, LOGGER],
    },
    KafkaTopics,
    {
      provide: BatchKafkaServer,
      useFactory: (kafka: Kafka, environment: EnvironmentDto) =>
        new BatchKafkaServer({
          client: kafka,
          kafka: {
            consumer: {
              groupId: environment.KAFKA_GROUP_ID,
              sessionTimeout: environment.KAFKA_SESSION_TIMEOUT_MS,
              heartbeatInterval: Math.min(3_000, Math.floor(environment.KAFKA_SESSION_TIMEOUT_MS / 3)),
            },
          },
          topics: [environment.DISCLOSURES_TOPIC],
          maxBatchMessages: environment.BATCH_MAX_MESSAGES,
          partitionsConcurrently: environment.PARTITIONS_CONCURRENTLY,
        }),
      inject: [KAFKA, ENVIRONMENT],
    },
  ],
  exports: [KAFKA, BatchKafkaServer],
})
export class KafkaModule {}

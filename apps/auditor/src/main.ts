import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel } from 'kafkajs';
import {
  loadEnvironment,
  type EnvironmentDto,
  BatchKafkaServer,
  kafkaLogCreator,
  createLogger,
  PinoNestLogger,
} from '#libs/infrastructure';
import { defaultRegisterDir, loadRegister } from '#libs/register';
import { AuditorModule } from './auditor.module.js';

/** Creates the topics the auditor reads and writes, when the broker does not have them yet. */
async function ensureTopics(environment: EnvironmentDto): Promise<void> {
  const admin = new Kafka({
    brokers: environment.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [
      { topic: environment.DISCLOSURES_TOPIC, numPartitions: 6 },
      { topic: environment.FLAGGED_TOPIC, numPartitions: 3 },
      { topic: environment.DLQ_TOPIC, numPartitions: 3 },
    ].filter(({ topic }) => !existing.has(topic));
    if (wanted.length > 0) await admin.createTopics({ topics: wanted, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function startAuditor(environment: EnvironmentDto = loadEnvironment()) {
  const logger = createLogger(environment.LOG_LEVEL);
  const registerDir = environment.REGISTER_DIR ?? defaultRegisterDir();
  const register = loadRegister(registerDir);
  logger.info(
    {
      register: registerDir,
      version: register.latestVersion.id,
      contentHash: register.latestVersion.contentHash,
    },
    'register loaded',
  );
  await ensureTopics(environment);
  const app = await NestFactory.create(AuditorModule.forRoot({ environment, register, logger }), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  app.connectMicroservice(
    {
      strategy: new BatchKafkaServer({
        kafka: {
          client: {
            clientId: environment.KAFKA_CLIENT_ID,
            brokers: environment.KAFKA_BROKERS.split(','),
            logLevel: logLevel.WARN,
            logCreator: kafkaLogCreator(logger),
          },
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
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(environment.HTTP_PORT, environment.HTTP_HOST);
  logger.info(
    {
      topic: environment.DISCLOSURES_TOPIC,
      brokers: environment.KAFKA_BROKERS,
      group: environment.KAFKA_GROUP_ID,
      http: `http://${environment.HTTP_HOST}:${environment.HTTP_PORT}`,
    },
    `auditor consuming ${environment.DISCLOSURES_TOPIC} from ${environment.KAFKA_BROKERS}; health and metrics on http://${environment.HTTP_HOST}:${environment.HTTP_PORT}/health and /metrics`,
  );
  return app;
}

const isEntryPoint =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntryPoint) {
  startAuditor().catch((error: unknown) => {
    process.stderr.write(
      `auditor failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}

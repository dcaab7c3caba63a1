import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';

import { BatchKafkaServer, ENVIRONMENT, PinoNestLogger, type EnvironmentDto } from '#libs/infrastructure';

import { AuditorModule } from './auditor.module.js';
import { LOGGER } from './auditor.tokens.js';

/** Builds the auditor application; `environment` defaults to process.env, validated. */
export async function createAuditorApp(environment?: EnvironmentDto): Promise<INestApplication> {
  return NestFactory.create(AuditorModule.forRoot(environment), { bufferLogs: true, abortOnError: false });
}

/**
 * Starts a built auditor application: its providers (topics, ledger, outbox relay), then the Kafka consumer, then
 * the HTTP server. Tests that replace a provider build the application from AuditorModule themselves and start it
 * here.
 */
export async function runAuditorApp(app: INestApplication): Promise<INestApplication> {
  const logger = app.get<Logger>(LOGGER);
  const environment = app.get<EnvironmentDto>(ENVIRONMENT);
  app.useLogger(new PinoNestLogger(logger));
  app.enableShutdownHooks();
  app.connectMicroservice({ strategy: app.get(BatchKafkaServer) }, { inheritAppConfig: true });
  await app.init();
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

export async function startAuditor(environment?: EnvironmentDto): Promise<INestApplication> {
  const app = await createAuditorApp(environment);
  try {
    return await runAuditorApp(app);
  } catch (error) {
    await app.close();
    throw error;
  }
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

/**
 * The comparison baseline, kept only for `npm run bench`: a straightforward NestJS microservice on the stock
 * Kafka transport. Configured by BASELINE_TOPIC, BASELINE_GROUP_ID, DATABASE_URL and KAFKA_BROKERS.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import { BaselineModule } from './baseline.module.js';

async function main(): Promise<void> {
  const databaseUrl = requiredEnv('DATABASE_URL');
  const groupId = requiredEnv('BASELINE_GROUP_ID');
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(BaselineModule.forRoot(databaseUrl), {
    transport: Transport.KAFKA,
    options: {
      client: {
        clientId: groupId,
        brokers: requiredEnv('KAFKA_BROKERS').split(','),
        logLevel: logLevel.WARN,
      },
      consumer: { groupId },
      subscribe: { fromBeginning: true },
      // Keeps the group id exactly as given, so the bench can wait for this group to become stable.
      postfixId: '',
    },
    logger: ['error', 'warn'],
  });
  app.enableShutdownHooks();
  await app.listen();
  process.stdout.write('baseline ready\n');
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

import { Module, type DynamicModule } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { type EnvironmentDto, kafkaLogCreator } from '#libs/infrastructure';
import { LedgerModule } from '#libs/ledger';
import type { Register } from '#libs/register';
import { ENVIRONMENT, KAFKA, LOGGER, REGISTER } from './auditor.tokens.js';
import { DisclosureBatchController } from './disclosures/disclosure-batch.controller.js';
import { RecordDisclosuresUseCase } from './disclosures/record-disclosures.use-case.js';
import { AuditorMetrics } from './observability/auditor-metrics.js';
import { ObservabilityController } from './observability/observability.controller.js';
import { OutboxRelay } from './outbox/outbox-relay.service.js';

export interface AuditorModuleOptions {
  environment: EnvironmentDto;
  register: Register;
  logger: Logger;
}

@Module({})
export class AuditorModule {
  static forRoot({ environment, register, logger }: AuditorModuleOptions): DynamicModule {
    return {
      module: AuditorModule,
      imports: [
        LedgerModule.forRoot({
          databaseUrl: environment.DATABASE_URL,
          topics: { flagged: environment.FLAGGED_TOPIC, deadLetter: environment.DLQ_TOPIC },
          poolSize: environment.PARTITIONS_CONCURRENTLY + 3,
          applicationName: 'disclosure-auditor',
        }),
      ],
      controllers: [DisclosureBatchController, ObservabilityController],
      providers: [
        { provide: ENVIRONMENT, useValue: environment },
        { provide: REGISTER, useValue: register },
        { provide: LOGGER, useValue: logger },
        {
          provide: KAFKA,
          useFactory: () =>
            new Kafka({
              clientId: `${environment.KAFKA_CLIENT_ID}-outbox`,
              brokers: environment.KAFKA_BROKERS.split(','),
              logLevel: logLevel.WARN,
              logCreator: kafkaLogCreator(logger),
            }),
        },
        AuditorMetrics,
        OutboxRelay,
        RecordDisclosuresUseCase,
      ],
    };
  }
}

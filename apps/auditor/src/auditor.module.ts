import { Module, type DynamicModule } from '@nestjs/common';

import { ConfigModule, ENVIRONMENT, type EnvironmentDto } from '#libs/infrastructure';
import { LedgerModule } from '#libs/ledger';

import { DisclosuresModule } from './disclosures/disclosures.module.js';
import { KafkaModule } from './kafka/kafka.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { OutboxModule } from './outbox/outbox.module.js';

/**
 * The auditor: Config (the validated environment), Observability (logger, metrics, health), Kafka (the one client
 * and the batch transport), the ledger, Outbox (publishing flagged disclosures and dead letters) and Disclosures
 * (judging and recording each batch).
 */
@Module({})
export class AuditorModule {
  /** `environment` defaults to process.env, validated. */
  static forRoot(environment?: EnvironmentDto): DynamicModule {
    return {
      module: AuditorModule,
      imports: [
        ConfigModule.forRoot(environment),
        LedgerModule.forRootAsync({
          inject: [ENVIRONMENT],
          useFactory: (env: EnvironmentDto) => ({
            databaseUrl: env.DATABASE_URL,
            topics: { flagged: env.FLAGGED_TOPIC, deadLetter: env.DLQ_TOPIC },
            poolSize: env.PARTITIONS_CONCURRENTLY + 3,
            applicationName: 'disclosure-auditor',
          }),
        }),
        ObservabilityModule,
        KafkaModule,
        OutboxModule,
        DisclosuresModule,
      ],
    };
  }
}

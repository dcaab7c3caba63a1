import { Global, Module } from '@nestjs/common';

import { createLogger, ENVIRONMENT, type EnvironmentDto } from '#libs/infrastructure';

import { LOGGER } from '../auditor.tokens.js';
import { AuditorMetrics } from './auditor-metrics.js';
import { ObservabilityController } from './observability.controller.js';

/** The logger (pino, with the redaction list), the Prometheus metrics, and GET /health and /metrics. */
@Global()
@Module({
  controllers: [ObservabilityController],
  providers: [
    {
      provide: LOGGER,
      useFactory: (environment: EnvironmentDto) => createLogger(environment.LOG_LEVEL),
      inject: [ENVIRONMENT],
    },
    AuditorMetrics,
  ],
  exports: [LOGGER, AuditorMetrics],
})
export class ObservabilityModule {}

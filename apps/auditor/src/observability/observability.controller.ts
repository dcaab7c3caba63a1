import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { LedgerRepository } from '#libs/ledger';
import { AuditorMetrics } from './auditor-metrics.js';

/** Health for orchestrators and Prometheus metrics, on the auditor's HTTP port. */
@Controller()
export class ObservabilityController {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly metrics: AuditorMetrics,
  ) {}

  @Get('health')
  async health(): Promise<{ status: 'ok'; database: 'up' }> {
    try {
      await this.ledger.ping();
    } catch (error) {
      throw new ServiceUnavailableException({
        status: 'error',
        database: 'down',
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    return { status: 'ok', database: 'up' };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

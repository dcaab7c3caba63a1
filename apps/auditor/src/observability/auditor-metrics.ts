import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Judgement } from '#libs/checker';
import type { MessageBatch } from '#libs/infrastructure';
import type { AppendResult } from '#libs/ledger';

/** Prometheus metrics of the auditor, served on GET /metrics. */
@Injectable()
export class AuditorMetrics {
  readonly registry = new Registry();
  private readonly events = new Counter({
    name: 'disclosure_audit_events_total',
    help: 'Messages judged, by verdict',
    labelNames: ['verdict'],
    registers: [this.registry],
  });
  private readonly flags = new Counter({
    name: 'disclosure_audit_flags_total',
    help: 'Flags raised, by flag code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly recorded = new Counter({
    name: 'disclosure_audit_trail_entries_total',
    help: 'Outcome of writing messages to the trail: appended, duplicate (not written again), conflict',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'disclosure_audit_batch_messages',
    help: 'Messages per recorded batch',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
    registers: [this.registry],
  });
  private readonly batchSeconds = new Histogram({
    name: 'disclosure_audit_batch_seconds',
    help: 'Time to judge and record one batch, database commit included',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly lag = new Gauge({
    name: 'disclosure_audit_consumer_lag',
    help: 'Messages behind the end of the partition after the last recorded batch',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'disclosure_audit_' });
  }

  recordBatch(batch: MessageBatch, judgements: Judgement[], result: AppendResult, elapsedMs: number): void {
    for (const judgement of judgements) {
      this.events.inc({ verdict: judgement.verdict });
      for (const flag of judgement.flags) this.flags.inc({ code: flag.code });
    }
    this.recorded.inc({ outcome: 'appended' }, result.appended - result.conflicts);
    this.recorded.inc({ outcome: 'conflict' }, result.conflicts);
    this.recorded.inc({ outcome: 'duplicate' }, result.duplicates);
    this.batchSize.observe(batch.messages.length);
    this.batchSeconds.observe(elapsedMs / 1000);
    this.lag.set({ topic: batch.topic, partition: String(batch.partition) }, batch.lag);
  }
}

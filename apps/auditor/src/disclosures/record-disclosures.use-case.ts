import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { parseKafkaDisclosure } from '#libs/contracts';
import { judgeEvent, rejection, type Judgement } from '#libs/checker';
import type { MessageBatch, BatchMessage } from '#libs/infrastructure';
import {
  LedgerErrorCode,
  LedgerException,
  LedgerRepository,
  type AppendResult,
  type LedgerRecord,
} from '#libs/ledger';
import type { Register } from '#libs/register';
import { LOGGER, REGISTER } from '../auditor.tokens.js';
import { AuditorMetrics } from '../observability/auditor-metrics.js';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import { headersAsText, kafkaTimestampIso, receivedAtMs, storableText } from './kafka-message.js';

const MAX_ATTEMPTS = 5;

/**
 * Judges a batch of messages from one partition and records them in the audit trail in one transaction.
 * Rejected messages are recorded too (with their original bytes); flagged and rejected ones reach the outbox
 * in the same transaction, so nothing is lost if the process dies before they are published.
 */
@Injectable()
export class RecordDisclosuresUseCase {
  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(REGISTER) private readonly register: Register,
    private readonly metrics: AuditorMetrics,
    private readonly outbox: OutboxRelay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(batch: MessageBatch): Promise<AppendResult> {
    const started = performance.now();
    const judged = batch.messages.map((message) => ({ message, judgement: this.judge(message) }));
    const records = judged.map(({ message, judgement }) =>
      toLedgerRecord(batch, message, judgement, this.register),
    );
    const result = await this.appendWithRetry(records);
    this.outbox.wake();
    this.metrics.recordBatch(
      batch,
      judged.map(({ judgement }) => judgement),
      result,
      performance.now() - started,
    );
    this.logger.debug(
      {
        topic: batch.topic,
        partition: batch.partition,
        messages: batch.messages.length,
        appended: result.appended,
        duplicates: result.duplicates,
        conflicts: result.conflicts,
      },
      'batch recorded',
    );
    return result;
  }

  private judge(message: BatchMessage): Judgement {
    const parsed = parseKafkaDisclosure({ value: message.value, headers: message.headers });
    if (!parsed.ok) return rejection(parsed.eventId, parsed.errors);
    // Spec section 7: the Kafka message timestamp is when the event was received.
    return judgeEvent(parsed.event, this.register, receivedAtMs(message.timestamp));
  }

  /** Another instance may write the same eventId at the same moment; the retry then sees it as a duplicate. */
  private async appendWithRetry(records: LedgerRecord[]): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ledger.appendBatch(records);
      } catch (error) {
        const retriable = error instanceof LedgerException && error.code === LedgerErrorCode.CONCURRENT_WRITE;
        if (!retriable || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn({ attempt, code: error.code }, 'concurrent write to the trail; retrying the batch');
      }
    }
  }
}

function toLedgerRecord(
  batch: MessageBatch,
  message: BatchMessage,
  judgement: Judgement,
  register: Register,
): LedgerRecord {
  // A rejected message may not have a usable occurredAt; it is recorded against the register version in force now.
  const version = judgement.registerVersion ?? register.latestVersion;
  return {
    source: {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      timestamp: kafkaTimestampIso(message.timestamp),
      headers: headersAsText(message.headers),
      key: message.key,
    },
    kind: judgement.verdict === 'rejected' ? 'rejected' : 'disclosure',
    eventId: judgement.eventId,
    verdict: judgement.verdict,
    flags: judgement.flags,
    errors: judgement.errors.map(storableText),
    notice: judgement.notice,
    register: { versionId: version.id, contentHash: version.contentHash },
    event: judgement.event as unknown as Record<string, unknown> | null,
    raw: message.value ?? Buffer.alloc(0),
  };
}

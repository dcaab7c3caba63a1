import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';

import { rejection, type Judgement } from '#libs/checker';
import {
  LedgerErrorCode,
  LedgerException,
  TrailAppendRepository,
  type AppendResult,
  type LedgerRecord,
} from '#libs/ledger';

import { LOGGER } from '../auditor.tokens.js';
import { AuditorMetrics } from '../observability/auditor-metrics.js';
import { OutboxRelay } from '../outbox/outbox-relay.service.js';
import type { DisclosureMessage, RecordDisclosuresCommand } from './dtos/record-disclosures.command.js';
import { headersAsText, kafkaTimestampIso, storableText } from './kafka-message.js';
import { MessageJudge } from './services/message-judge.service.js';

const MAX_ATTEMPTS = 5;
const DATABASE_RETRY_PAUSE_MS = 250;
const MAX_INTERNAL_ERROR_LENGTH = 300;

/** What to do after the trail refused a batch; {@link recoveryFrom} decides it for every LedgerErrorCode. */
export type Recovery =
  | { kind: 'retry'; pauseMs: number }
  /** Record the one record the ledger refused as rejected (internal error) and try the batch again. */
  | { kind: 'reject-record'; index: number }
  | { kind: 'fail' };

export function recoveryFrom(error: LedgerException, attempt: number): Recovery {
  if (attempt >= MAX_ATTEMPTS) return { kind: 'fail' };
  switch (error.code) {
    case LedgerErrorCode.CONCURRENT_WRITE:
      // Another instance wrote the same eventId at the same moment; the retry sees it as a duplicate.
      return error.retryable ? { kind: 'retry', pauseMs: 0 } : { kind: 'fail' };
    case LedgerErrorCode.DATABASE_FAILURE:
      return error.retryable
        ? { kind: 'retry', pauseMs: DATABASE_RETRY_PAUSE_MS * attempt }
        : { kind: 'fail' };
    case LedgerErrorCode.INVALID_RECORD:
      // The auditor built a record the ledger refuses: a bug, confined to that one message.
      return error.details.recordIndex === undefined
        ? { kind: 'fail' }
        : { kind: 'reject-record', index: error.details.recordIndex };
    case LedgerErrorCode.WRITER_ROLE_NOT_ACTIVE:
      return { kind: 'fail' };
  }
}

/** The reason recorded for a message the auditor failed on: the error's first line, never its stack. */
export function internalErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n', 1)[0].slice(0, MAX_INTERNAL_ERROR_LENGTH);
  return storableText(`internal error: ${firstLine || (error instanceof Error ? error.name : 'unknown')}`);
}

/**
 * Judges the messages of one partition and records them in the audit trail in one transaction. Rejected messages
 * are recorded too (with their original bytes); flagged and rejected ones reach the outbox in the same
 * transaction, so nothing is lost if the process dies before they are published. A message the auditor itself
 * fails on is recorded as rejected with the reason "internal error: …", so it never stalls its partition.
 */
@Injectable()
export class RecordDisclosuresUseCase {
  constructor(
    private readonly trail: TrailAppendRepository,
    private readonly judge: MessageJudge,
    private readonly metrics: AuditorMetrics,
    private readonly outbox: OutboxRelay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: RecordDisclosuresCommand): Promise<AppendResult> {
    const started = performance.now();
    const judgements: Judgement[] = [];
    const records: LedgerRecord[] = [];
    for (const message of command.messages) {
      let judgement: Judgement;
      let record: LedgerRecord;
      try {
        judgement = this.judge.judge(message);
        record = this.toLedgerRecord(command, message, judgement);
      } catch (error) {
        judgement = this.internalError(command, message, error);
        record = this.toLedgerRecord(command, message, judgement);
      }
      judgements.push(judgement);
      records.push(record);
    }
    const result = await this.appendWithRecovery(command, records, judgements);
    this.outbox.wake();
    this.metrics.recordBatch(command, judgements, result, performance.now() - started);
    this.logger.debug(
      {
        topic: command.topic,
        partition: command.partition,
        messages: command.messages.length,
        appended: result.appended,
        duplicates: result.duplicates,
        conflicts: result.conflicts,
      },
      'batch recorded',
    );
    return result;
  }

  private async appendWithRecovery(
    command: RecordDisclosuresCommand,
    records: LedgerRecord[],
    judgements: Judgement[],
  ): Promise<AppendResult> {
    const replaced = new Set<number>();
    for (let attempt = 1; ;) {
      try {
        return await this.trail.appendBatch(records);
      } catch (error) {
        if (!(error instanceof LedgerException)) throw error;
        const recovery = recoveryFrom(error, attempt);
        switch (recovery.kind) {
          case 'retry':
            this.logger.warn({ attempt, code: error.code }, 'the trail refused the batch; retrying it');
            if (recovery.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, recovery.pauseMs));
            attempt++;
            break;
          case 'reject-record': {
            // Once only: a record that is refused again even as an internal error is not the message's fault.
            if (replaced.has(recovery.index)) throw error;
            replaced.add(recovery.index);
            const message = command.messages[recovery.index];
            judgements[recovery.index] = this.internalError(command, message, error);
            records[recovery.index] = this.toLedgerRecord(command, message, judgements[recovery.index]);
            break;
          }
          case 'fail':
            throw error;
        }
      }
    }
  }

  /** Counts and logs a message the auditor failed on, and gives the rejection it is recorded with. */
  private internalError(
    command: RecordDisclosuresCommand,
    message: DisclosureMessage,
    error: unknown,
  ): Judgement {
    this.metrics.recordInternalError();
    this.logger.error(
      { err: error, topic: command.topic, partition: command.partition, offset: message.offset },
      'the auditor failed on a message; it is recorded as rejected and dead-lettered',
    );
    return rejection(null, [internalErrorReason(error)]);
  }

  private toLedgerRecord(
    command: RecordDisclosuresCommand,
    message: DisclosureMessage,
    judgement: Judgement,
  ): LedgerRecord {
    // A rejected message may not have a usable occurredAt; it is recorded against the register version in force now.
    const version = judgement.registerVersion ?? this.judge.register.latestVersion;
    return {
      source: {
        topic: command.topic,
        partition: command.partition,
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
}

import type { KafkaHeaderValue } from '#libs/contracts';

/** One message of the command: what the auditor needs of a Kafka message, and nothing of the transport. */
export interface DisclosureMessage {
  /** Kafka offsets are 64-bit, so they travel as decimal strings. */
  offset: string;
  /** The broker's timestamp, ms since epoch, as a decimal string (kafkajs' form). */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Readonly<Record<string, KafkaHeaderValue>>;
}

export class InvalidRecordDisclosuresCommand extends Error {
  constructor(problem: string) {
    super(`invalid RecordDisclosuresCommand: ${problem}`);
    this.name = 'InvalidRecordDisclosuresCommand';
  }
}

const DECIMAL = /^\d{1,19}$/;

/**
 * Record these consecutive messages of one partition in the audit trail. Validated when made, so the use case can
 * rely on it: a command that breaks these rules is a bug of the transport, not bad input.
 */
export class RecordDisclosuresCommand {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly messages: readonly DisclosureMessage[],
    /** How far the partition's consumer is behind the end of the log after these messages. */
    readonly lag: number,
  ) {
    if (topic.length === 0) throw new InvalidRecordDisclosuresCommand('topic is empty');
    if (!Number.isInteger(partition) || partition < 0) {
      throw new InvalidRecordDisclosuresCommand(`partition ${partition} is not a non-negative integer`);
    }
    if (!Number.isFinite(lag) || lag < 0) throw new InvalidRecordDisclosuresCommand(`lag ${lag} is negative`);
    for (const message of messages) {
      if (!DECIMAL.test(message.offset)) {
        throw new InvalidRecordDisclosuresCommand(`offset ${message.offset} is not a decimal number`);
      }
    }
  }
}

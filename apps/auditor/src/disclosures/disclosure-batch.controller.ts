import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';

import { MESSAGE_BATCH_PATTERN, type MessageBatch } from '#libs/infrastructure';

import { RecordDisclosuresCommand } from './dtos/record-disclosures.command.js';
import { RecordDisclosuresUseCase } from './record-disclosures.use-case.js';

/** The Kafka edge: every batch from the disclosures topic becomes one RecordDisclosuresCommand. */
@Controller()
export class DisclosureBatchController {
  constructor(private readonly recordDisclosures: RecordDisclosuresUseCase) {}

  @EventPattern(MESSAGE_BATCH_PATTERN)
  async record(@Payload() batch: MessageBatch): Promise<void> {
    await this.recordDisclosures.execute(recordDisclosuresCommand(batch));
  }
}

export function recordDisclosuresCommand(batch: MessageBatch): RecordDisclosuresCommand {
  return new RecordDisclosuresCommand(batch.topic, batch.partition, batch.messages, batch.lag);
}

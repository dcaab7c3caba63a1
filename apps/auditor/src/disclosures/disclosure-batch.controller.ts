import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { MESSAGE_BATCH_PATTERN, type MessageBatch } from '#libs/infrastructure';
import { RecordDisclosuresUseCase } from './record-disclosures.use-case.js';

/** The Kafka edge: every batch from the disclosures topic goes to one use case. */
@Controller()
export class DisclosureBatchController {
  constructor(private readonly recordDisclosures: RecordDisclosuresUseCase) {}

  @EventPattern(MESSAGE_BATCH_PATTERN)
  async record(@Payload() batch: MessageBatch): Promise<void> {
    await this.recordDisclosures.execute(batch);
  }
}

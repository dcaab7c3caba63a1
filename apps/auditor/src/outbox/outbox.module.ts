import { Module } from '@nestjs/common';

import { KafkaModule } from '../kafka/kafka.module.js';
import { OutboxRelay } from './outbox-relay.service.js';

/** Publishes the outbox (flagged disclosures, dead letters) with the auditor's Kafka client. */
@Module({
  imports: [KafkaModule],
  providers: [OutboxRelay],
  exports: [OutboxRelay],
})
export class OutboxModule {}

import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { LedgerRepository, type OutboxMessage } from '#libs/ledger';
import { KAFKA, LOGGER } from '../auditor.tokens.js';

const CLAIM_LIMIT = 1000;
const IDLE_POLL_MS = 500;
const ERROR_BACKOFF_MS = 2000;

/**
 * Publishes the outbox (flagged disclosures, dead letters) to Kafka and deletes what was published.
 * The outbox rows were committed with their trail entries, so a crash between commit and publish loses nothing:
 * the next relay, here or in another instance, publishes them (at least once).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private producer: Producer | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private published = 0;

  constructor(
    private readonly ledger: LedgerRepository,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get publishedCount(): number {
    return this.published;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.producer?.disconnect();
  }

  /** Called after a batch commits, so that flagged disclosures go out without waiting for the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const relayed = await this.ledger.relayOutbox(CLAIM_LIMIT, (messages) => this.publish(messages));
        this.published += relayed;
        if (relayed === CLAIM_LIMIT) continue;
        await this.sleep(IDLE_POLL_MS);
      } catch (error) {
        this.logger.error({ err: error }, 'outbox relay failed; retrying');
        await this.sleep(ERROR_BACKOFF_MS);
      }
    }
  }

  private async publish(messages: OutboxMessage[]): Promise<void> {
    const byTopic = new Map<string, OutboxMessage[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic);
      if (list) list.push(message);
      else byTopic.set(message.topic, [message]);
    }
    await this.producer!.sendBatch({
      acks: -1,
      topicMessages: [...byTopic.entries()].map(([topic, list]) => ({
        topic,
        messages: list.map((message) => ({
          key: message.key,
          value: message.value,
          headers: message.headers,
        })),
      })),
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

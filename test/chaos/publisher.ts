import { Kafka, logLevel, type Producer } from 'kafkajs';

import { mixedLine } from '../../bench/event-mix.js';
import { sleep } from './chaos-util.js';

const SEND_BATCH = 500;

export interface PublishedMessage {
  partition: number;
  offset: string;
  /** The eventId the line carries, when it is JSON with a string eventId. */
  eventId: string | null;
  /** bench/event-mix.ts makes every 20th line one the checker must reject. */
  mustBeRejected: boolean;
  raw: string;
}

/**
 * Publishes the benchmark mix at a steady rate so that the kills land while there is work in flight, and records
 * the partition and offset the broker gave every message: that is the list the trail is checked against.
 */
export class ChaosPublisher {
  private gate: Promise<void> | undefined;
  private sending: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly partitions: number,
  ) {}

  static async connect(brokers: string, topic: string, partitions: number): Promise<ChaosPublisher> {
    const producer = new Kafka({
      clientId: 'chaos-publisher',
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 10 },
    }).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return new ChaosPublisher(producer, topic, partitions);
  }

  /**
   * Holds publishing while `fault` runs (the broker restart). A send that fails half-way cannot tell which
   * messages the broker kept, and re-sending would put the same events at new offsets; pausing keeps the
   * published list exact, and the faults under test are the auditors', not the producer's.
   */
  async pauseWhile(fault: () => Promise<void>): Promise<void> {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    try {
      await this.sending.catch(() => undefined);
      await fault();
    } finally {
      this.gate = undefined;
      release();
    }
  }

  async publish(count: number, durationMs: number): Promise<PublishedMessage[]> {
    const published: PublishedMessage[] = [];
    const started = Date.now();
    for (let first = 0; first < count; first += SEND_BATCH) {
      while (this.gate !== undefined) await this.gate;
      const lines = [];
      for (let index = first; index < Math.min(count, first + SEND_BATCH); index++) {
        lines.push({ index, raw: mixedLine(index), partition: index % this.partitions });
      }
      const send = this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: lines.map((line) => ({ partition: line.partition, value: line.raw })),
      });
      this.sending = send;
      const metadata = await send;
      const nextOffset = new Map(metadata.map((m) => [m.partition, BigInt(m.baseOffset ?? '-1')]));
      // Messages for one partition in one request form one record batch, so their offsets run on from baseOffset.
      for (const line of lines) {
        const offset = nextOffset.get(line.partition);
        if (offset === undefined || offset < 0n) {
          throw new Error(`the broker reported no offset for partition ${line.partition}`);
        }
        nextOffset.set(line.partition, offset + 1n);
        published.push({
          partition: line.partition,
          offset: offset.toString(),
          eventId: eventIdOf(line.raw),
          mustBeRejected: line.index % 20 === 19,
          raw: line.raw,
        });
      }
      const due = started + (durationMs * Math.min(count, first + SEND_BATCH)) / count;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    return published;
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

function eventIdOf(raw: string): string | null {
  try {
    const parsed = JSON.parse(raw) as { eventId?: unknown };
    return typeof parsed.eventId === 'string' ? parsed.eventId : null;
  } catch {
    return null;
  }
}

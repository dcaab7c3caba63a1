import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { Repository } from 'typeorm';
import { DISCLOSURE_VALIDATOR_OPTIONS, DisclosureEventDto } from '#libs/contracts';
import { BaselineDisclosure } from './baseline-disclosure.entity.js';

export const BASELINE_REPOSITORY = Symbol('BASELINE_REPOSITORY');

/** Read when the decorator runs, i.e. at import: the stock transport binds handlers to fixed topic names. */
function baselineTopic(): string {
  const topic = process.env.BASELINE_TOPIC;
  if (!topic) throw new Error('BASELINE_TOPIC is not set');
  return topic;
}

/** The textbook handler: one message at a time, validated with class-validator, one save() per event. */
@Controller()
export class BaselineController {
  constructor(@Inject(BASELINE_REPOSITORY) private readonly disclosures: Repository<BaselineDisclosure>) {}

  @EventPattern(baselineTopic())
  async onDisclosure(@Payload() payload: unknown, @Ctx() context: unknown): Promise<void> {
    // Nest 12 types event handlers' extra arguments as unknown; on this transport the context is a KafkaContext.
    const receivedAt = new Date(Number((context as KafkaContext).getMessage().timestamp));
    const errors = await validationErrors(payload);
    const row = this.disclosures.create({
      eventId: errors.length === 0 ? (payload as { eventId: string }).eventId : null,
      verdict: errors.length === 0 ? 'accepted' : 'rejected',
      event: errors.length === 0 ? payload : null,
      raw: errors.length === 0 ? null : typeof payload === 'string' ? payload : JSON.stringify(payload),
      errors,
      receivedAt,
    });
    await this.disclosures.save(row);
  }
}

async function validationErrors(payload: unknown): Promise<string[]> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return ['the message is not a JSON object'];
  }
  const dto = plainToInstance(DisclosureEventDto, payload);
  const failures = await validate(dto, DISCLOSURE_VALIDATOR_OPTIONS);
  return failures.flatMap(messagesOf);
}

function messagesOf(error: ValidationError): string[] {
  const own = Object.values(error.constraints ?? {}).map((message) => `${error.property}: ${message}`);
  return [...own, ...(error.children ?? []).flatMap(messagesOf)];
}

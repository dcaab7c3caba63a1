import { Inject, Injectable } from '@nestjs/common';

import { judgeEvent, rejection, type Judgement } from '#libs/checker';
import { parseKafkaDisclosure } from '#libs/contracts';
import type { Register } from '#libs/register';

import { REGISTER } from '../../auditor.tokens.js';
import type { DisclosureMessage } from '../dtos/record-disclosures.command.js';

/** Reads one Kafka message as contract v1 (any of its three encodings) and judges it against the register. */
@Injectable()
export class MessageJudge {
  constructor(@Inject(REGISTER) readonly register: Register) {}

  judge(message: DisclosureMessage): Judgement {
    const parsed = parseKafkaDisclosure({ value: message.value, headers: message.headers });
    return parsed.ok ? judgeEvent(parsed.event, this.register) : rejection(parsed.eventId, parsed.errors);
  }
}

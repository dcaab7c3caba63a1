import { Inject, Injectable } from '@nestjs/common';

import { judgeEvent, rejection, type Judgement } from '#libs/checker';
import { parseKafkaDisclosure } from '#libs/contracts';
import type { Register } from '#libs/register';

import { REGISTER } from '../../auditor.tokens.js';
import type { DisclosureMessage } from '../dtos/record-disclosures.command.js';
import { receivedAtMs } from '../kafka-message.js';

/** Reads one Kafka message as contract v1 (any of its three encodings) and judges it against the register. */
@Injectable()
export class MessageJudge {
  constructor(@Inject(REGISTER) readonly register: Register) {}

  judge(message: DisclosureMessage): Judgement {
    const parsed = parseKafkaDisclosure({ value: message.value, headers: message.headers });
    if (!parsed.ok) return rejection(parsed.eventId, parsed.errors);
    // Spec section 7: the Kafka message timestamp is when the event was received.
    return judgeEvent(parsed.event, this.register, receivedAtMs(message.timestamp));
  }
}

import { impossibleTimeErrors, parseDisclosureMessage, type DisclosureEvent } from '#libs/contracts';
import type { Register } from '#libs/register';
import { checkDisclosure } from './check-disclosure.js';
import type { CheckResult, Flag, VerdictKind } from './verdict.js';

/** The verdict on one message: a valid event checked against the register, or a rejection with its reasons. */
export type Judgement =
  | (CheckResult & { eventId: string; event: DisclosureEvent; errors: [] })
  | {
      verdict: Extract<VerdictKind, 'rejected'>;
      eventId: string | null;
      event: null;
      flags: Flag[];
      errors: string[];
      notice: null;
      registerVersion: null;
    };

export function rejection(eventId: string | null, errors: string[]): Judgement {
  return {
    verdict: 'rejected',
    eventId,
    event: null,
    flags: [],
    errors,
    notice: null,
    registerVersion: null,
  };
}

/**
 * Validates a message against contract v1 and, when valid, checks it against the register. `receivedAtMs` is when
 * the message was received, against which an occurredAt in the future is rejected.
 */
export function judgeMessage(value: Buffer | string, register: Register, receivedAtMs: number): Judgement {
  const parsed = parseDisclosureMessage(value);
  if (!parsed.ok) return rejection(parsed.eventId, parsed.errors);
  return judgeEvent(parsed.event, register, receivedAtMs);
}

/** A valid event: rejected when its times are impossible (spec section 7), otherwise checked against the register. */
export function judgeEvent(event: DisclosureEvent, register: Register, receivedAtMs: number): Judgement {
  const errors = impossibleTimeErrors(event, receivedAtMs);
  if (errors.length > 0) return rejection(event.eventId, errors);
  return { ...checkDisclosure(event, register), eventId: event.eventId, event, errors: [] };
}

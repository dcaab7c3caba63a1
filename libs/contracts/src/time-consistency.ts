import type { DisclosureEvent } from './disclosure-event.js';

/** How far `occurredAt` may run ahead of the moment an event is received: publishers' clocks drift (spec section 7). */
export const MAX_OCCURRED_AHEAD_MS = 5 * 60_000;

/**
 * Spec section 7: times no disclosure can have. `receivedAtMs` is when the event was received (the Kafka message
 * timestamp in the auditor, the time of the check in the CLI). Returns the reasons to reject, or none.
 */
export function impossibleTimeErrors(event: DisclosureEvent, receivedAtMs: number): string[] {
  const errors: string[] = [];
  const occurredMs = Date.parse(event.occurredAt);
  if (occurredMs - receivedAtMs > MAX_OCCURRED_AHEAD_MS) {
    errors.push(
      `occurredAt is in the future: ${event.occurredAt} is more than 5 minutes after the event was received ` +
        `(${new Date(receivedAtMs).toISOString()})`,
    );
  }
  if (event.collectedAt !== undefined && Date.parse(event.collectedAt) > occurredMs) {
    errors.push(
      `collectedAt is later than occurredAt: data cannot be disclosed before it was collected ` +
        `(collectedAt ${event.collectedAt}, occurredAt ${event.occurredAt})`,
    );
  }
  return errors;
}

import { randomUUID } from 'node:crypto';
import type { DisclosureEvent } from '#libs/contracts';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};

/**
 * A valid disclosure event like the spec's example (housing → police for crime prevention), with overrides.
 * Nested objects are merged, so `{ recipient: { name: 'HMRC' } }` changes only the name.
 */
export function disclosureEvent(overrides: DeepPartial<DisclosureEvent> = {}): DisclosureEvent {
  const base: DisclosureEvent = {
    eventId: randomUUID(),
    occurredAt: '2026-10-01T10:00:00Z',
    controller: 'leicester-city-council',
    source: { system: 'northgate-housing', serviceArea: 'housing' },
    actor: { id: 'staff-4411', role: 'housing officer' },
    subject: { ref: 'HSG-000123', kind: 'tenant' },
    dataCategories: ['identity', 'contact', 'tenancy'],
    purpose: 'prevention and detection of crime',
    lawfulBasis: { article6: 'public-task', legislation: 'Housing Act 1996' },
    recipient: { name: 'police', category: 'police', country: 'GB' },
    safeguards: { pseudonymised: false, sharingAgreementRef: 'ISA-042' },
    collectedAt: '2026-09-12T09:30:00Z',
    recordCount: 1,
  };
  return merge(base, overrides) as DisclosureEvent;
}

function merge(base: unknown, overrides: unknown): unknown {
  if (overrides === undefined) return base;
  if (
    overrides === null ||
    typeof overrides !== 'object' ||
    Array.isArray(overrides) ||
    base === null ||
    typeof base !== 'object' ||
    Array.isArray(base)
  ) {
    return overrides;
  }
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    result[key] = value === undefined ? undefined : merge(result[key], value);
    if (result[key] === undefined) delete result[key];
  }
  return result;
}

/** Removes a nested field, e.g. `without(event, 'recipient', 'category')`. */
export function without<T extends object>(value: T, ...path: string[]): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  let cursor = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
  delete cursor[path[path.length - 1]];
  return copy as T;
}

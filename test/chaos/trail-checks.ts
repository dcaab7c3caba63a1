import type { PublishedMessage } from './publisher.js';

export interface TrailRow {
  partition: number;
  offset: string;
  kind: 'disclosure' | 'rejected' | 'conflict';
  eventId: string | null;
  verdict: string;
  errors: unknown;
  raw: Buffer | null;
}

export interface TrailCheck {
  recorded: number;
  missing: number;
  duplicates: number;
  flaggedEventIds: string[];
  /** `partition/offset` of every rejected entry, to be found again on the dead-letter topic. */
  rejectedSources: string[];
  problems: string[];
}

const EXAMPLES = 3;

/** Compares what was published with what the trail holds for the chaos topic; every mismatch becomes a problem. */
export function checkTrail(published: readonly PublishedMessage[], rows: readonly TrailRow[]): TrailCheck {
  const problems: string[] = [];
  const byOffset = new Map<string, TrailRow[]>();
  for (const row of rows) {
    const key = `${row.partition}/${row.offset}`;
    byOffset.set(key, [...(byOffset.get(key) ?? []), row]);
  }

  const missing: string[] = [];
  const wrongKind: string[] = [];
  const reasonless: string[] = [];
  const alteredRaw: string[] = [];
  const wrongEventId: string[] = [];
  const publishedKeys = new Set<string>();
  for (const message of published) {
    const key = `${message.partition}/${message.offset}`;
    publishedKeys.add(key);
    const entry = byOffset.get(key)?.[0];
    if (entry === undefined) {
      missing.push(key);
      continue;
    }
    if (message.mustBeRejected && entry.kind !== 'rejected') wrongKind.push(key);
    if (entry.kind === 'rejected') {
      if (!Array.isArray(entry.errors) || entry.errors.length === 0) reasonless.push(key);
      if (entry.raw === null || entry.raw.toString('utf8') !== message.raw) alteredRaw.push(key);
    } else if (entry.eventId !== message.eventId) {
      wrongEventId.push(key);
    }
  }

  let duplicates = 0;
  const unpublished: string[] = [];
  for (const [key, entries] of byOffset) {
    duplicates += entries.length - 1;
    if (!publishedKeys.has(key)) unpublished.push(key);
  }
  const disclosuresPerEvent = new Map<string, number>();
  for (const row of rows) {
    if (row.kind !== 'disclosure' || row.eventId === null) continue;
    disclosuresPerEvent.set(row.eventId, (disclosuresPerEvent.get(row.eventId) ?? 0) + 1);
  }
  const repeatedEvents = [...disclosuresPerEvent.entries()].filter(([, times]) => times > 1);
  duplicates += repeatedEvents.reduce((sum, [, times]) => sum + times - 1, 0);
  // Every eventId of the mix is unique, so a conflict entry can only come from the same message recorded twice.
  const conflicts = rows.filter((row) => row.kind === 'conflict');
  duplicates += conflicts.length;

  report(problems, missing, 'published messages are not in the trail');
  report(
    problems,
    repeatedEvents.map(([eventId]) => eventId),
    'eventIds are recorded as a disclosure more than once',
  );
  report(
    problems,
    conflicts.map((row) => `${row.partition}/${row.offset}`),
    'conflict entries appeared although every eventId is unique',
  );
  report(problems, unpublished, 'trail entries point at offsets that were never published');
  report(problems, wrongKind, 'invalid lines were not recorded as rejected');
  report(problems, reasonless, 'rejected entries carry no reason');
  report(problems, alteredRaw, 'rejected entries do not keep the original bytes');
  report(problems, wrongEventId, 'disclosures carry another eventId than the published line');

  return {
    recorded: rows.length,
    missing: missing.length,
    duplicates,
    flaggedEventIds: rows.flatMap((row) =>
      row.kind === 'disclosure' && row.verdict === 'flagged' && row.eventId !== null ? [row.eventId] : [],
    ),
    rejectedSources: rows.flatMap((row) =>
      row.kind === 'rejected' ? [`${row.partition}/${row.offset}`] : [],
    ),
    problems,
  };
}

/** Records a problem when `wanted` is not all found in `found`; returns how many were not. */
export function checkContained(
  problems: string[],
  wanted: readonly string[],
  found: ReadonlySet<string>,
  what: string,
): number {
  const absent = wanted.filter((item) => !found.has(item));
  report(problems, absent, what);
  return absent.length;
}

function report(problems: string[], items: readonly string[], what: string): void {
  if (items.length === 0) return;
  problems.push(`${items.length} ${what} (e.g. ${items.slice(0, EXAMPLES).join(', ')})`);
}

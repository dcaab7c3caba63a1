import { CanonicalJsonError } from '#libs/contracts';
import { canonicalEventOf } from './entry-hash.js';
import { LedgerErrorCode, LedgerException } from './ledger.exception.js';
import type { LedgerFlag, LedgerRecord, RecordKind, Verdict } from './ledger.types.js';

/** A record checked and brought into the exact form it will be stored (and hashed) in. */
export interface NormalisedRecord {
  index: number;
  chainId: string;
  topic: string;
  partition: number;
  offset: string;
  receivedAt: Date;
  headers: Record<string, string>;
  key: Buffer | null;
  kind: RecordKind;
  eventId: string | null;
  contentHash: string | null;
  verdict: Verdict;
  flags: LedgerFlag[];
  errors: string[];
  notice: string | null;
  registerVersion: string;
  registerHash: string;
  event: Record<string, unknown> | null;
  /** The event's canonical JSON, made once: it gives the content hash, goes into the entry hash and is stored. */
  canonicalEvent: string | null;
  raw: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_INT4 = 2 ** 31 - 1;
const MAX_INT8 = 2n ** 63n - 1n;
const UNSTORABLE_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A plain character class is far cheaper than the lookarounds above and rules out almost every string. */
const MAYBE_UNSTORABLE = /[\u0000\ud800-\udfff]/;

function isUnstorable(text: string): boolean {
  return MAYBE_UNSTORABLE.test(text) && UNSTORABLE_CHARACTER.test(text);
}

export function chainIdOf(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

export function normaliseRecords(records: readonly LedgerRecord[]): NormalisedRecord[] {
  return records.map((record, index) => normaliseRecord(record, index));
}

export function normaliseRecord(record: LedgerRecord, index: number): NormalisedRecord {
  const fail = (field: string, problem: string): never => {
    throw new LedgerException(LedgerErrorCode.INVALID_RECORD, `record ${index}: ${field} ${problem}`, {
      recordIndex: index,
    });
  };

  const { source } = record;
  if (typeof source?.topic !== 'string' || source.topic.length === 0)
    fail('source.topic', 'must be a topic name');
  if (!Number.isInteger(source.partition) || source.partition < 0 || source.partition > MAX_INT4) {
    fail('source.partition', 'must be a non-negative 32-bit integer');
  }
  if (
    typeof source.offset !== 'string' ||
    !/^\d{1,19}$/.test(source.offset) ||
    BigInt(source.offset) > MAX_INT8
  ) {
    fail('source.offset', 'must be a non-negative 64-bit integer in decimal');
  }
  const receivedAt = new Date(source.timestamp);
  if (typeof source.timestamp !== 'string' || Number.isNaN(receivedAt.getTime())) {
    fail('source.timestamp', 'must be an ISO 8601 date-time');
  }
  if (!isStringRecord(source.headers)) fail('source.headers', 'must map header names to strings');
  if (source.key != null && !Buffer.isBuffer(source.key)) fail('source.key', 'must be a Buffer or null');
  if (!Buffer.isBuffer(record.raw)) fail('raw', 'must be a Buffer');

  const kind = record.kind;
  switch (kind) {
    case 'disclosure':
      if (record.verdict !== 'compliant' && record.verdict !== 'flagged') {
        fail('verdict', 'of a disclosure must be compliant or flagged');
      }
      if (record.event === null || typeof record.event !== 'object' || Array.isArray(record.event)) {
        fail('event', 'of a disclosure must be the validated event object');
      }
      if (typeof record.eventId !== 'string' || !UUID.test(record.eventId)) {
        fail('eventId', 'of a disclosure must be a UUID');
      }
      break;
    case 'rejected':
      if (record.verdict !== 'rejected') fail('verdict', 'of a rejected message must be rejected');
      break;
    default:
      fail('kind', 'must be disclosure or rejected');
  }
  if (!Array.isArray(record.flags) || !record.flags.every(isFlag)) {
    fail('flags', 'must be an array of { code, severity, message } strings');
  }
  if (record.verdict === 'flagged' && record.flags.length === 0)
    fail('flags', 'must not be empty when flagged');
  if (record.verdict === 'compliant' && record.flags.length > 0)
    fail('flags', 'must be empty when compliant');
  if (!Array.isArray(record.errors) || !record.errors.every((error) => typeof error === 'string')) {
    fail('errors', 'must be an array of strings');
  }
  if (record.notice !== null && typeof record.notice !== 'string') fail('notice', 'must be a string or null');
  if (typeof record.register?.versionId !== 'string' || record.register.versionId.length === 0) {
    fail('register.versionId', 'must be the register version');
  }
  if (typeof record.register.contentHash !== 'string' || record.register.contentHash.length === 0) {
    fail('register.contentHash', 'must be the register content hash');
  }

  const isDisclosure = kind === 'disclosure';
  const event = isDisclosure ? record.event : null;
  const eventId =
    typeof record.eventId === 'string' && UUID.test(record.eventId) ? record.eventId.toLowerCase() : null;
  const normalised: NormalisedRecord = {
    index,
    chainId: chainIdOf(source.topic, source.partition),
    topic: source.topic,
    partition: source.partition,
    // Leading zeros would make "007" and "7" look like different offsets to the redelivery check.
    offset: BigInt(source.offset).toString(),
    // Postgres keeps microseconds and JavaScript milliseconds; storing the millisecond value keeps the hash
    // computed at append time equal to the one recomputed from the stored row.
    receivedAt: new Date(receivedAt.getTime()),
    headers: { ...source.headers },
    key: source.key ?? null,
    kind,
    eventId,
    contentHash: null,
    verdict: record.verdict,
    flags: record.flags.map((flag) => ({ code: flag.code, severity: flag.severity, message: flag.message })),
    errors: [...record.errors],
    notice: record.notice,
    registerVersion: record.register.versionId,
    registerHash: record.register.contentHash,
    event,
    canonicalEvent: null,
    raw: record.raw,
  };

  const unstorableProblem =
    'holds a NUL character or an unpaired surrogate, which Postgres text and jsonb cannot keep';
  // The event, by far the largest member, is not walked here: canonicalising it below finds the same strings.
  normalised.event = null;
  const unstorable = findUnstorableString(normalised, '');
  normalised.event = event;
  if (unstorable !== null) fail(unstorable, unstorableProblem);
  if (event !== null) {
    let canonical: { canonicalEvent: string; contentHash: string };
    try {
      canonical = canonicalEventOf(event);
    } catch (error) {
      if (!(error instanceof CanonicalJsonError)) throw error;
      // An unpaired surrogate is refused by the canonicaliser too; name it as the walk would have.
      const unstorableInEvent = findUnstorableString(event, 'event');
      return fail(
        unstorableInEvent ?? `event (${error.path})`,
        unstorableInEvent === null ? 'is not plain JSON' : unstorableProblem,
      );
    }
    // Canonical JSON writes NUL as the escape \u0000; the text may also just hold a backslash before "u0000", so
    // only a hit needs the walk that decides and names the member.
    if (canonical.canonicalEvent.includes('\\u0000')) {
      const unstorableInEvent = findUnstorableString(event, 'event');
      if (unstorableInEvent !== null) fail(unstorableInEvent, unstorableProblem);
    }
    normalised.canonicalEvent = canonical.canonicalEvent;
    normalised.contentHash = canonical.contentHash;
  }
  return normalised;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  );
}

function isFlag(value: unknown): value is LedgerFlag {
  if (value === null || typeof value !== 'object') return false;
  const flag = value as Record<string, unknown>;
  return (
    typeof flag.code === 'string' && typeof flag.severity === 'string' && typeof flag.message === 'string'
  );
}

/**
 * Postgres refuses NUL in text and jsonb, and would store an unpaired surrogate as U+FFFD; either would break the
 * batch or the hash. Finding them first turns that into an error that names the field.
 */
function findUnstorableString(value: unknown, path: string): string | null {
  // Almost every record is clean: check cheaply first and build paths only to name the field of a bad one.
  return holdsUnstorableString(value) ? pathToUnstorableString(value, path) : null;
}

function holdsUnstorableString(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date)
    return false;
  for (const key in value) {
    if (isUnstorable(key) || holdsUnstorableString((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function pathToUnstorableString(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNSTORABLE_CHARACTER.test(value) ? path || '(value)' : null;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date)
    return null;
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE_CHARACTER.test(key)) return `${path || '(value)'} (a member name)`;
    const found = pathToUnstorableString(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

import { randomBytes } from 'node:crypto';

import type { IHeaders } from 'kafkajs';

import { disclosureEvent } from '#libs/testing';

/** Messages a broken or malicious publisher could send; every one must be rejected, none may stop the auditor. */
export interface HostileMessage {
  label: string;
  value: Buffer | null;
  headers?: IHeaders;
}

export const TEN_MEGABYTES = 10 * 1024 * 1024;
/** The topic limit the hostile test sets, so that the broker accepts the 10 MB value (its default is ~1 MB). */
export const HOSTILE_TOPIC_MAX_MESSAGE_BYTES = 12 * 1024 * 1024;

const SQL = `'); DROP TABLE audit_entry; -- " OR 1=1; SELECT pg_sleep(30); --`;

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

function eventWith(extra: Record<string, unknown>): Record<string, unknown> {
  return { ...(disclosureEvent() as unknown as Record<string, unknown>), ...extra };
}

/** Every string of the value replaced by the SQL-looking text, at any depth. */
function everyStringReplaced(value: unknown): unknown {
  if (typeof value === 'string') return SQL;
  if (Array.isArray(value)) return value.map(everyStringReplaced);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, everyStringReplaced(item)]));
  }
  return value;
}

/** A value of another JSON type than the field's. */
function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'seven';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return { first: value[0] };
  return ['not', 'an', 'object'];
}

function ceHeaders(id: string): IHeaders {
  return {
    ce_specversion: '1.0',
    ce_id: id,
    ce_type: 'uk.gov.council.disclosure.v1',
    ce_source: '/councils/leicester/housing',
  };
}

export function hostileCorpus(): HostileMessage[] {
  const corpus: HostileMessage[] = [
    { label: 'random bytes', value: Buffer.concat([Buffer.from([0xff, 0xfe]), randomBytes(4096)]) },
    {
      label: 'invalid UTF-8 inside a JSON string',
      value: Buffer.concat([
        Buffer.from('{"purpose":"'),
        Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
        Buffer.from('"}'),
      ]),
    },
    { label: 'arrays nested 100k deep', value: Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)) },
    {
      label: 'objects nested 100k deep',
      value: Buffer.from('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)),
    },
    {
      label: 'a known field nested 100k deep',
      value: Buffer.from(
        JSON.stringify(disclosureEvent()).replace(
          '"recipient":{',
          `"recipient":{"name":${'['.repeat(100_000)}${']'.repeat(100_000)},"x":{`,
        ) + '}',
      ),
    },
    { label: 'a value just over 64 KiB', value: padTo(64 * 1024 + 1) },
    { label: 'a 10 MB value', value: padTo(TEN_MEGABYTES) },
    {
      label: 'a huge array of data categories',
      value: json(eventWith({ dataCategories: Array.from({ length: 6_000 }, () => 'identity') })),
    },
    { label: 'a huge top-level array', value: json(Array.from({ length: 6_000 }, (_, index) => index)) },
    {
      label: 'a __proto__ key',
      value: Buffer.from(JSON.stringify(disclosureEvent()).replace(/}$/, ',"__proto__":{"isAdmin":true}}')),
    },
    {
      label: 'a nested __proto__ key',
      value: Buffer.from(
        JSON.stringify(disclosureEvent()).replace(
          '"recipient":{',
          '"recipient":{"__proto__":{"category":"police"},',
        ),
      ),
    },
    {
      label: 'a constructor key',
      value: json(eventWith({ constructor: { prototype: { polluted: true } } })),
    },
    { label: 'SQL in every text field', value: json(everyStringReplaced(disclosureEvent())) },
    { label: 'a raw NUL byte', value: Buffer.from([0]) },
    {
      label: 'a NUL byte before the JSON',
      value: Buffer.concat([Buffer.from([0]), json(disclosureEvent())]),
    },
    { label: 'an escaped NUL in a field', value: json(eventWith({ purpose: 'prevention\u0000 of crime' })) },
    {
      label: 'a lone high surrogate',
      value: Buffer.from(JSON.stringify(disclosureEvent()).replace('"police"', '"pol\\ud800ice"')),
    },
    {
      label: 'a lone low surrogate key',
      value: Buffer.from(JSON.stringify(disclosureEvent()).replace(/}$/, ',"\\udc00":1}')),
    },
    { label: 'an empty value', value: Buffer.alloc(0) },
    { label: 'a null value (tombstone)', value: null },
    { label: 'JSON null', value: Buffer.from('null') },
    { label: 'a JSON string', value: Buffer.from('"disclosure"') },
  ];

  const template = disclosureEvent() as unknown as Record<string, unknown>;
  for (const field of Object.keys(template)) {
    corpus.push({
      label: `a wrong type in ${field}`,
      value: json(eventWith({ [field]: wrongTypeFor(template[field]) })),
    });
  }
  for (const [parent, value] of Object.entries(template)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [child, item] of Object.entries(value)) {
      corpus.push({
        label: `a wrong type in ${parent}.${child}`,
        value: json(eventWith({ [parent]: { ...value, [child]: wrongTypeFor(item) } })),
      });
    }
  }

  const event = disclosureEvent();
  corpus.push(
    {
      label: 'a ce_id header naming another event',
      value: json(event),
      headers: ceHeaders(disclosureEvent().eventId),
    },
    {
      label: 'a structured CloudEvent whose id names another event',
      value: json({
        specversion: '1.0',
        id: disclosureEvent().eventId,
        type: 'uk.gov.council.disclosure.v1',
        source: '/councils/leicester/housing',
        data: disclosureEvent(),
      }),
      headers: { 'content-type': 'application/cloudevents+json' },
    },
    {
      label: 'a structured CloudEvent with a ce_id header that contradicts it',
      value: json({
        specversion: '1.0',
        id: event.eventId,
        type: 'uk.gov.council.disclosure.v1',
        source: '/councils/leicester/housing',
        data: event,
      }),
      headers: { 'content-type': 'application/cloudevents+json', ce_id: disclosureEvent().eventId },
    },
    {
      label: 'ce_specversion 0.3',
      value: json(disclosureEvent()),
      headers: { ...ceHeaders(event.eventId), ce_specversion: '0.3' },
    },
    {
      label: 'a NUL in the ce_id header',
      value: json(disclosureEvent()),
      headers: ceHeaders(`\u0000${event.eventId}`),
    },
    {
      label: 'a ce_id header sent twice',
      value: json(event),
      headers: { ...ceHeaders(event.eventId), ce_id: [event.eventId, disclosureEvent().eventId] },
    },
    {
      label: 'a header that is not UTF-8',
      value: json(event),
      headers: { ...ceHeaders(event.eventId), ce_type: Buffer.from([0xff, 0x00, 0xfe]) },
    },
  );
  return corpus;
}

/** A JSON object of exactly `bytes` bytes, so that only its size is wrong. */
function padTo(bytes: number): Buffer {
  const base = JSON.stringify(eventWith({ padding: '' }));
  return Buffer.from(base.replace('"padding":""', `"padding":"${'x'.repeat(bytes - base.length)}"`));
}

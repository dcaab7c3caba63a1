import type { DisclosureEvent } from './disclosure-event.js';
import { isRfc3339DateTime } from './formats.js';
import {
  capReasons,
  decodeJsonMessage,
  parseDisclosureMessage,
  type ParseResult,
} from './parse-disclosure.js';
import { jsonTypeOf, showValue } from './rules.js';

/*
 * Spec section 1: an event arrives as a plain JSON value, or as a CloudEvent 1.0 in the Kafka protocol binding,
 * binary mode (ce_* headers, the value is the event) or structured mode (content-type
 * application/cloudevents+json, the event is the CloudEvent's `data`).
 */

export type TransportMode = 'plain' | 'binary' | 'structured';

/** kafkajs's header shape: a header sent more than once arrives as an array. */
export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;

export interface KafkaMessageLike {
  value: Buffer | null;
  headers?: Record<string, KafkaHeaderValue>;
}

export type EnvelopeResult =
  | { ok: true; value: Buffer; cloudEventId?: string; mode: TransportMode }
  /** `value` holds the event bytes when they could be found despite the problems, so they can still be checked. */
  | { ok: false; errors: string[]; mode: TransportMode; value?: Buffer };

export type KafkaParseResult = ParseResult & { mode: TransportMode };

const SPEC_VERSION = '1.0';
const STRUCTURED_JSON = 'application/cloudevents+json';
const CLOUDEVENTS_MEDIA_PREFIX = 'application/cloudevents';
const utf8 = new TextDecoder('utf-8', { fatal: true });

type HeaderRead = { present: false } | { present: true; value: string } | { present: true; error: string };

/** Header names compared without case: a publisher's HTTP habits ("Content-Type") must not change the mode. */
class Headers {
  private readonly byName = new Map<string, (Buffer | string)[]>();

  constructor(headers: Record<string, KafkaHeaderValue> | undefined) {
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (value === undefined) continue;
      const key = name.toLowerCase();
      const values = this.byName.get(key) ?? [];
      values.push(...(Array.isArray(value) ? value : [value]));
      this.byName.set(key, values);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  read(name: string): HeaderRead {
    const values = this.byName.get(name);
    if (values === undefined || values.length === 0) return { present: false };
    if (values.length > 1) return { present: true, error: `${name}: header is sent ${values.length} times` };
    const [value] = values;
    if (typeof value === 'string') return { present: true, value };
    try {
      return { present: true, value: utf8.decode(value) };
    } catch {
      return { present: true, error: `${name}: header is not valid UTF-8` };
    }
  }
}

function mediaType(contentType: string): string {
  return contentType.split(';', 1)[0].trim().toLowerCase();
}

function modeOf(headers: Headers): TransportMode {
  const contentType = headers.read('content-type');
  if (
    contentType.present &&
    'value' in contentType &&
    mediaType(contentType.value).startsWith(CLOUDEVENTS_MEDIA_PREFIX)
  ) {
    return 'structured';
  }
  return headers.has('ce_specversion') ? 'binary' : 'plain';
}

/** Kafka message → the bytes of the disclosure event, with the CloudEvent id to hold it against. */
export function decodeKafkaEnvelope(message: KafkaMessageLike): EnvelopeResult {
  const headers = new Headers(message.headers);
  const mode = modeOf(headers);
  if (message.value === null) return { ok: false, mode, errors: ['message has no value'] };
  switch (mode) {
    case 'plain':
      return decodePlain(message.value, headers);
    case 'binary':
      return decodeBinary(message.value, headers);
    case 'structured':
      return decodeStructured(message.value, headers);
  }
}

/** Not a CloudEvent, but spec section 1 still holds a ce_id header, when one is sent, to the eventId. */
function decodePlain(value: Buffer, headers: Headers): EnvelopeResult {
  const ceId = headers.read('ce_id');
  if (!ceId.present) return { ok: true, mode: 'plain', value };
  if ('error' in ceId) return { ok: false, mode: 'plain', errors: [ceId.error], value };
  return { ok: true, mode: 'plain', value, cloudEventId: ceId.value };
}

function decodeBinary(value: Buffer, headers: Headers): EnvelopeResult {
  const errors: string[] = [];
  const specVersion = headers.read('ce_specversion');
  if (specVersion.present && 'error' in specVersion) errors.push(specVersion.error);
  else if (specVersion.present && specVersion.value !== SPEC_VERSION) {
    errors.push(`ce_specversion: ${showValue(specVersion.value)} is not supported (only ${SPEC_VERSION})`);
  }
  let cloudEventId: string | undefined;
  for (const name of ['ce_id', 'ce_type', 'ce_source']) {
    const header = headers.read(name);
    if (!header.present) errors.push(`${name}: header is required`);
    else if ('error' in header) errors.push(header.error);
    else if (header.value === '') errors.push(`${name}: header must not be empty`);
    else if (name === 'ce_id') cloudEventId = header.value;
  }
  const time = headers.read('ce_time');
  if (time.present && 'error' in time) errors.push(time.error);
  else if (time.present && !isRfc3339DateTime(time.value)) {
    errors.push(`ce_time: ${showValue(time.value)} is not an RFC 3339 date-time with a zone offset`);
  }
  if (errors.length > 0) return { ok: false, mode: 'binary', errors, value };
  return { ok: true, mode: 'binary', value, cloudEventId };
}

function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

function decodeStructured(value: Buffer, headers: Headers): EnvelopeResult {
  const contentType = headers.read('content-type');
  const type = contentType.present && 'value' in contentType ? mediaType(contentType.value) : '';
  if (type !== STRUCTURED_JSON) {
    return {
      ok: false,
      mode: 'structured',
      errors: [
        `content-type: ${showValue(type)} is not supported (only ${STRUCTURED_JSON}, one event per message)`,
      ],
    };
  }
  const decoded = decodeJsonMessage(value);
  if (!decoded.ok) return { ok: false, mode: 'structured', errors: decoded.errors };
  const envelope = decoded.parsed;
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return {
      ok: false,
      mode: 'structured',
      errors: [`message must be a CloudEvent JSON object (got ${jsonTypeOf(envelope)})`],
    };
  }
  const attributes = envelope as Record<string, unknown>;
  const attribute = (name: string): unknown =>
    Object.hasOwn(attributes, name) ? attributes[name] : undefined;
  const errors: string[] = [];
  const specVersion = attribute('specversion');
  if (specVersion !== SPEC_VERSION) {
    errors.push(
      typeof specVersion === 'string'
        ? `cloudevent.specversion: ${showValue(specVersion)} is not supported (only ${SPEC_VERSION})`
        : `cloudevent.specversion: must be "${SPEC_VERSION}" (got ${jsonTypeOf(specVersion)})`,
    );
  }
  for (const name of ['id', 'type', 'source']) {
    const field = attribute(name);
    if (field === undefined || field === null) errors.push(`cloudevent.${name}: is required`);
    else if (typeof field !== 'string')
      errors.push(`cloudevent.${name}: must be a string (got ${jsonTypeOf(field)})`);
    else if (field === '') errors.push(`cloudevent.${name}: must not be empty`);
  }
  const time = attribute('time');
  if (time !== undefined && time !== null && (typeof time !== 'string' || !isRfc3339DateTime(time))) {
    errors.push('cloudevent.time: must be an RFC 3339 date-time with a zone offset');
  }
  const dataContentType = attribute('datacontenttype');
  if (dataContentType !== undefined && dataContentType !== null) {
    if (typeof dataContentType !== 'string' || !isJsonMediaType(mediaType(dataContentType))) {
      errors.push('cloudevent.datacontenttype: the event must be JSON (application/json)');
    }
  }
  if (attribute('data_base64') !== undefined) {
    errors.push('cloudevent.data_base64: not supported; send the event as a JSON object in data');
  }
  const data = attribute('data');
  let eventBytes: Buffer | undefined;
  if (data === undefined || data === null) errors.push('cloudevent.data: is required');
  else if (typeof data !== 'object' || Array.isArray(data)) {
    errors.push(`cloudevent.data: must be a JSON object (got ${jsonTypeOf(data)})`);
  } else {
    eventBytes = Buffer.from(JSON.stringify(data), 'utf8');
  }
  const id = attribute('id');
  const cloudEventId = typeof id === 'string' && id !== '' ? id : undefined;
  // The binding lets binary-mode headers ride along; one that names another event contradicts the body.
  const ceIdHeader = headers.read('ce_id');
  if (ceIdHeader.present && 'error' in ceIdHeader) errors.push(ceIdHeader.error);
  else if (ceIdHeader.present && cloudEventId !== undefined && ceIdHeader.value !== cloudEventId) {
    errors.push(
      `ce_id: header ${showValue(ceIdHeader.value)} does not match cloudevent.id ${showValue(cloudEventId)}`,
    );
  }
  if (errors.length > 0 || eventBytes === undefined) {
    return { ok: false, mode: 'structured', errors, value: eventBytes };
  }
  return { ok: true, mode: 'structured', value: eventBytes, cloudEventId };
}

/** The reason to reject when the CloudEvent id names another event than the body; undefined when they agree. */
export function checkCloudEventId(
  event: Pick<DisclosureEvent, 'eventId'>,
  cloudEventId: string | undefined,
): string | undefined {
  if (cloudEventId === undefined || cloudEventId === event.eventId) return undefined;
  return `ce_id ${showValue(cloudEventId)} does not match eventId ${showValue(event.eventId)}`;
}

/**
 * Envelope, event and id check in one: what the auditor calls for every Kafka message. When the envelope is
 * wrong but the event can still be found, the event is checked too, so the publisher learns every problem at once
 * and the dead-letter record can name the event.
 */
export function parseKafkaDisclosure(message: KafkaMessageLike): KafkaParseResult {
  const envelope = decodeKafkaEnvelope(message);
  const { mode } = envelope;
  if (!envelope.ok) {
    if (envelope.value === undefined) return { ok: false, mode, eventId: null, errors: envelope.errors };
    const event = parseDisclosureMessage(envelope.value);
    return event.ok
      ? { ok: false, mode, eventId: event.event.eventId, errors: envelope.errors }
      : {
          ok: false,
          mode,
          eventId: event.eventId,
          errors: capReasons([...envelope.errors, ...event.errors]),
        };
  }
  const parsed = parseDisclosureMessage(envelope.value);
  if (!parsed.ok) return { ...parsed, mode };
  const mismatch = checkCloudEventId(parsed.event, envelope.cloudEventId);
  if (mismatch !== undefined) return { ok: false, mode, eventId: parsed.event.eventId, errors: [mismatch] };
  return { ...parsed, mode };
}

import {
  checkCloudEventId,
  decodeKafkaEnvelope,
  parseKafkaDisclosure,
  type KafkaHeaderValue,
  type KafkaMessageLike,
} from './cloudevents.js';
import { sampleDisclosureEvent } from './sample-event.js';

const EVENT_ID = '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11';
const OTHER_ID = '11111111-2222-4333-8444-555555555555';

function eventBytes(
  edit: (event: ReturnType<typeof sampleDisclosureEvent>) => void = () => undefined,
): Buffer {
  const event = sampleDisclosureEvent();
  edit(event);
  return Buffer.from(JSON.stringify(event));
}

function binaryHeaders(overrides: Record<string, KafkaHeaderValue> = {}): Record<string, KafkaHeaderValue> {
  return {
    ce_specversion: Buffer.from('1.0'),
    ce_id: Buffer.from(EVENT_ID),
    ce_type: Buffer.from('uk.gov.leicester.disclosure.v1'),
    ce_source: Buffer.from('/northgate-housing'),
    ce_time: Buffer.from('2026-10-01T10:00:01Z'),
    ...overrides,
  };
}

function structured(
  envelope: Record<string, unknown>,
  headers: Record<string, KafkaHeaderValue> = {
    'content-type': 'application/cloudevents+json; charset=utf-8',
  },
): KafkaMessageLike {
  return { value: Buffer.from(JSON.stringify(envelope)), headers };
}

function cloudEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: EVENT_ID,
    type: 'uk.gov.leicester.disclosure.v1',
    source: '/northgate-housing',
    time: '2026-10-01T10:00:01Z',
    datacontenttype: 'application/json',
    data: sampleDisclosureEvent(),
    ...overrides,
  };
}

function failure(message: KafkaMessageLike): { mode: string; eventId: string | null; errors: string[] } {
  const result = parseKafkaDisclosure(message);
  if (result.ok) throw new Error('expected a rejection');
  return { mode: result.mode, eventId: result.eventId, errors: result.errors };
}

describe('parseKafkaDisclosure', () => {
  describe('plain messages', () => {
    it('parses a message without CloudEvents headers', () => {
      const result = parseKafkaDisclosure({ value: eventBytes(), headers: {} });

      expect(result).toMatchObject({ ok: true, mode: 'plain', event: { eventId: EVENT_ID } });
    });

    it('accepts a message without headers at all', () => {
      expect(parseKafkaDisclosure({ value: eventBytes() }).ok).toBe(true);
    });

    it('holds a lone ce_id header to the eventId, as spec section 1 says "when both are present"', () => {
      expect(parseKafkaDisclosure({ value: eventBytes(), headers: { ce_id: EVENT_ID } }).ok).toBe(true);
      expect(failure({ value: eventBytes(), headers: { ce_id: OTHER_ID } })).toEqual({
        mode: 'plain',
        eventId: EVENT_ID,
        errors: [`ce_id "${OTHER_ID}" does not match eventId "${EVENT_ID}"`],
      });
    });

    it('passes the event errors through', () => {
      expect(failure({ value: eventBytes((e) => delete e.purpose), headers: {} })).toEqual({
        mode: 'plain',
        eventId: EVENT_ID,
        errors: ['purpose: is required'],
      });
    });

    it('rejects a message without a value (a tombstone)', () => {
      expect(failure({ value: null, headers: {} })).toEqual({
        mode: 'plain',
        eventId: null,
        errors: ['message has no value'],
      });
    });
  });

  describe('binary mode', () => {
    it('parses the value as the event when the headers are complete', () => {
      const result = parseKafkaDisclosure({ value: eventBytes(), headers: binaryHeaders() });

      expect(result).toMatchObject({ ok: true, mode: 'binary', event: { eventId: EVENT_ID } });
    });

    it('accepts headers as strings and without ce_time', () => {
      const headers = { ce_specversion: '1.0', ce_id: EVENT_ID, ce_type: 't', ce_source: 's' };

      expect(parseKafkaDisclosure({ value: eventBytes(), headers }).ok).toBe(true);
    });

    it('rejects a ce_id that names another event, naming both ids', () => {
      expect(failure({ value: eventBytes(), headers: binaryHeaders({ ce_id: OTHER_ID }) })).toEqual({
        mode: 'binary',
        eventId: EVENT_ID,
        errors: [`ce_id "${OTHER_ID}" does not match eventId "${EVENT_ID}"`],
      });
    });

    it('compares the ids exactly', () => {
      const upperCase = EVENT_ID.toUpperCase();

      expect(failure({ value: eventBytes(), headers: binaryHeaders({ ce_id: upperCase }) }).errors).toEqual([
        `ce_id "${upperCase}" does not match eventId "${EVENT_ID}"`,
      ]);
    });

    it.each([
      [{ ce_specversion: '0.3' }, 'ce_specversion: "0.3" is not supported (only 1.0)'],
      [{ ce_id: undefined }, 'ce_id: header is required'],
      [{ ce_type: undefined }, 'ce_type: header is required'],
      [{ ce_source: undefined }, 'ce_source: header is required'],
      [{ ce_id: '' }, 'ce_id: header must not be empty'],
      [
        { ce_time: '2026-10-01 10:00' },
        'ce_time: "2026-10-01 10:00" is not an RFC 3339 date-time with a zone offset',
      ],
      [{ ce_type: [Buffer.from('a'), Buffer.from('b')] }, 'ce_type: header is sent 2 times'],
      [{ ce_source: Buffer.from([0xc3, 0x28]) }, 'ce_source: header is not valid UTF-8'],
    ])('rejects the headers %j', (overrides, reason) => {
      expect(failure({ value: eventBytes(), headers: binaryHeaders(overrides) })).toEqual({
        mode: 'binary',
        eventId: EVENT_ID,
        errors: [reason],
      });
    });

    it('reports header and event problems together, and names the event', () => {
      const result = failure({
        value: eventBytes((e) => (e.recipient.country = 'UK')),
        headers: binaryHeaders({ ce_type: undefined }),
      });

      expect(result).toEqual({
        mode: 'binary',
        eventId: EVENT_ID,
        errors: [
          'ce_type: header is required',
          'recipient.country: "UK" is not an ISO 3166-1 alpha-2 country code (use GB for the United Kingdom)',
        ],
      });
    });

    it('reads header names without regard to case', () => {
      const headers = { CE_SPECVERSION: '1.0', Ce_Id: OTHER_ID, ce_type: 't', ce_source: 's' };

      expect(failure({ value: eventBytes(), headers })).toMatchObject({
        mode: 'binary',
        errors: [`ce_id "${OTHER_ID}" does not match eventId "${EVENT_ID}"`],
      });
    });
  });

  describe('structured mode', () => {
    it('parses the event from data', () => {
      const result = parseKafkaDisclosure(structured(cloudEvent()));

      expect(result).toMatchObject({
        ok: true,
        mode: 'structured',
        event: { eventId: EVENT_ID, recordCount: 1 },
      });
    });

    it('recognises the content type whatever the case of the header name', () => {
      const result = parseKafkaDisclosure(
        structured(cloudEvent(), { 'Content-Type': Buffer.from('application/cloudevents+json') }),
      );

      expect(result).toMatchObject({ ok: true, mode: 'structured' });
    });

    it('rejects an id that names another event, naming both', () => {
      expect(failure(structured(cloudEvent({ id: OTHER_ID })))).toEqual({
        mode: 'structured',
        eventId: EVENT_ID,
        errors: [`ce_id "${OTHER_ID}" does not match eventId "${EVENT_ID}"`],
      });
    });

    it('rejects a ce_id header that contradicts the structured id', () => {
      const headers = { 'content-type': 'application/cloudevents+json', ce_id: OTHER_ID };

      expect(failure(structured(cloudEvent(), headers)).errors).toEqual([
        `ce_id: header "${OTHER_ID}" does not match cloudevent.id "${EVENT_ID}"`,
      ]);
    });

    it('refuses data_base64, with the reason', () => {
      const envelope = cloudEvent({ data: undefined, data_base64: eventBytes().toString('base64') });

      expect(failure(structured(envelope))).toEqual({
        mode: 'structured',
        eventId: null,
        errors: [
          'cloudevent.data_base64: not supported; send the event as a JSON object in data',
          'cloudevent.data: is required',
        ],
      });
    });

    it.each([
      [{ specversion: '0.3' }, 'cloudevent.specversion: "0.3" is not supported (only 1.0)'],
      [{ specversion: 1 }, 'cloudevent.specversion: must be "1.0" (got number)'],
      [{ id: undefined }, 'cloudevent.id: is required'],
      [{ type: 5 }, 'cloudevent.type: must be a string (got number)'],
      [{ source: '' }, 'cloudevent.source: must not be empty'],
      [{ time: 'yesterday' }, 'cloudevent.time: must be an RFC 3339 date-time with a zone offset'],
      [
        { datacontenttype: 'application/xml' },
        'cloudevent.datacontenttype: the event must be JSON (application/json)',
      ],
      [{ data: [sampleDisclosureEvent()] }, 'cloudevent.data: must be a JSON object (got array)'],
      [
        { data: JSON.stringify(sampleDisclosureEvent()) },
        'cloudevent.data: must be a JSON object (got string)',
      ],
    ])('rejects the envelope %j', (overrides, reason) => {
      expect(failure(structured(cloudEvent(overrides))).errors).toContain(reason);
    });

    it('accepts CloudEvents extension attributes', () => {
      expect(parseKafkaDisclosure(structured(cloudEvent({ traceparent: '00-abc-def-01' }))).ok).toBe(true);
    });

    it('reports the event problems together with the envelope problems', () => {
      const data = sampleDisclosureEvent();
      data.safeguards.foo = 1;

      expect(failure(structured(cloudEvent({ type: undefined, data })))).toEqual({
        mode: 'structured',
        eventId: EVENT_ID,
        errors: ['cloudevent.type: is required', 'safeguards.foo: unknown field'],
      });
    });

    it('refuses a batch and other event formats', () => {
      for (const contentType of ['application/cloudevents-batch+json', 'application/cloudevents+avro']) {
        const result = failure(structured(cloudEvent(), { 'content-type': contentType }));
        expect(result).toEqual({
          mode: 'structured',
          eventId: null,
          errors: [
            `content-type: "${contentType}" is not supported (only application/cloudevents+json, one event per message)`,
          ],
        });
      }
    });

    it('rejects an envelope that is not JSON, or not an object, or too big', () => {
      const headers = { 'content-type': 'application/cloudevents+json' };

      expect(failure({ value: Buffer.from('{"specversion":'), headers }).errors).toEqual([
        'message is not valid JSON: Unexpected end of JSON input',
      ]);
      expect(failure({ value: Buffer.from('[]'), headers }).errors).toEqual([
        'message must be a CloudEvent JSON object (got array)',
      ]);
      expect(failure({ value: Buffer.alloc(70_000, 0x20), headers }).errors).toEqual([
        'message is 70000 bytes; the limit is 65536',
      ]);
    });
  });
});

describe('decodeKafkaEnvelope', () => {
  it('gives the event bytes and the CloudEvent id of a structured message', () => {
    const result = decodeKafkaEnvelope(structured(cloudEvent()));

    expect(result.ok && result.mode).toBe('structured');
    expect(result.ok && result.cloudEventId).toBe(EVENT_ID);
    expect(result.ok && JSON.parse(result.value.toString('utf8'))).toEqual(sampleDisclosureEvent());
  });

  it('passes the value of a binary message through untouched', () => {
    const value = eventBytes();
    const result = decodeKafkaEnvelope({ value, headers: binaryHeaders() });

    expect(result).toEqual({ ok: true, mode: 'binary', value, cloudEventId: EVENT_ID });
  });

  it('keeps a __proto__ key of structured data, for the parser to refuse', () => {
    const value = Buffer.from(
      JSON.stringify(cloudEvent()).replace('"data":{', '"data":{"__proto__":{"polluted":true},'),
    );
    const message = { value, headers: { 'content-type': 'application/cloudevents+json' } };

    expect(failure(message).errors).toEqual(['__proto__: unknown field']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('checkCloudEventId', () => {
  it('is satisfied when there is no CloudEvent id or it is the eventId', () => {
    expect(checkCloudEventId({ eventId: EVENT_ID }, undefined)).toBeUndefined();
    expect(checkCloudEventId({ eventId: EVENT_ID }, EVENT_ID)).toBeUndefined();
  });

  it('names both ids when they differ', () => {
    expect(checkCloudEventId({ eventId: EVENT_ID }, 'abc')).toBe(
      `ce_id "abc" does not match eventId "${EVENT_ID}"`,
    );
  });
});

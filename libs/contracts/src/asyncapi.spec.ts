import { existsSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { TOPICS } from './codes.js';
import {
  deadLetterHeaders,
  DLQ_HEADERS,
  FLAG_CODES,
  FLAG_SEVERITIES,
  type FlaggedDisclosureMessage,
} from './flagged-message.js';
import { parseDisclosureMessage } from './parse-disclosure.js';
import { sampleDisclosureEvent } from './sample-event.js';

interface Ref {
  $ref: string;
}

interface MessageDoc {
  contentType?: string;
  headers?: { required: string[]; properties: Record<string, unknown> };
  payload: Partial<Ref> & { properties?: Record<string, Partial<Ref>> };
}

/** The parts of the document the tests read. */
interface AsyncApiDoc {
  asyncapi: string;
  info: { title: string };
  channels: Record<string, { address: string }>;
  operations: Record<string, { action: string; channel: Ref }>;
  components: {
    messages: Record<string, MessageDoc>;
    schemas: Record<string, { properties: Record<string, { enum?: string[] }> }>;
  };
}

const docUrl = new URL('../asyncapi.yaml', import.meta.url);
const doc = parse(readFileSync(docUrl, 'utf8')) as AsyncApiDoc;

/** Resolves a local `#/a/b` reference in the document. */
function resolveLocal(ref: string): unknown {
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node;
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (typeof node !== 'object' || node === null) return found;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') found.push(value);
    else refsIn(value, found);
  }
  return found;
}

/** The flagged-message schema with the event schema file inlined, for Ajv. */
function flaggedMessageValidator(): (value: unknown) => boolean {
  const eventSchema = JSON.parse(
    readFileSync(new URL('./disclosure-event.schema.json', docUrl), 'utf8'),
  ) as object;
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as { $ref?: string }).$ref;
    if (ref === './disclosure-event.schema.json') return { ...eventSchema, $schema: undefined };
    if (ref?.startsWith('#/')) return inline(resolveLocal(ref));
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value)]));
  };
  const schema = JSON.parse(JSON.stringify(inline(doc.components.schemas.FlaggedDisclosure))) as object;
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return (value) => validate(value);
}

describe('asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0.0 document', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info.title).toEqual(expect.any(String));
  });

  it('has exactly the channels of TOPICS', () => {
    const addresses = Object.values(doc.channels as Record<string, { address: string }>).map(
      (c) => c.address,
    );

    expect(addresses.sort()).toEqual(Object.values(TOPICS).sort());
  });

  it('receives on disclosures.v1 and sends on the two outputs', () => {
    const actions = Object.values(doc.operations).map((operation) => [
      operation.action,
      (resolveLocal(operation.channel.$ref) as { address: string }).address,
    ]);

    expect(actions.sort()).toEqual(
      [
        ['receive', TOPICS.disclosures],
        ['send', TOPICS.flagged],
        ['send', TOPICS.deadLetter],
      ].sort(),
    );
  });

  it('resolves every reference, and the referenced schema file exists', () => {
    const refs = refsIn(doc);
    const files = refs.filter((ref) => !ref.startsWith('#'));

    expect(files.length).toBeGreaterThan(0);
    for (const file of new Set(files)) expect(existsSync(new URL(file, docUrl))).toBe(true);
    for (const ref of refs.filter((r) => r.startsWith('#'))) expect(resolveLocal(ref)).toBeDefined();
  });

  it('carries the event schema as the payload of all three encodings', () => {
    const messages = doc.components.messages;

    expect(messages.DisclosureEvent.payload.$ref).toBe('./disclosure-event.schema.json');
    expect(messages.DisclosureCloudEventBinary.payload.$ref).toBe('./disclosure-event.schema.json');
    expect(messages.DisclosureCloudEventBinary.headers?.required).toEqual([
      'ce_specversion',
      'ce_id',
      'ce_type',
      'ce_source',
    ]);
    expect(messages.DisclosureCloudEventStructured.contentType).toBe('application/cloudevents+json');
    expect(messages.DisclosureCloudEventStructured.payload.properties?.data.$ref).toBe(
      './disclosure-event.schema.json',
    );
  });

  it('documents the dead-letter headers of DLQ_HEADERS', () => {
    const headers = doc.components.messages.RejectedMessage.headers!;

    expect([...headers.required].sort()).toEqual(Object.values(DLQ_HEADERS).sort());
    expect(Object.keys(headers.properties).sort()).toEqual(Object.values(DLQ_HEADERS).sort());
  });

  it('lists the flag codes and severities of flagged-message.ts', () => {
    const flag = doc.components.schemas.Flag.properties;

    expect(flag.code.enum).toEqual(FLAG_CODES);
    expect(flag.severity.enum!.sort()).toEqual([...new Set(Object.values(FLAG_SEVERITIES))].sort());
  });

  it('describes the FlaggedDisclosureMessage type: a typed message validates against it', () => {
    const parsed = parseDisclosureMessage(JSON.stringify(sampleDisclosureEvent()));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const message: FlaggedDisclosureMessage = {
      eventId: parsed.event.eventId,
      verdict: 'flagged',
      flags: [
        { code: 'RECIPIENT_NOT_IN_NOTICE', severity: FLAG_SEVERITIES.RECIPIENT_NOT_IN_NOTICE, message: 'x' },
      ],
      notice: 'housing',
      registerVersion: { id: '2018-05-25', contentHash: 'a'.repeat(64) },
      trail: { chain: 'disclosures.v1/0', seq: 1, entryHash: 'b'.repeat(64) },
      event: parsed.event,
    };
    const validate = flaggedMessageValidator();

    expect(validate(message)).toBe(true);
    expect(validate({ ...message, notice: null, registerVersion: null })).toBe(true);
    expect(validate({ ...message, flags: [] })).toBe(false);
    expect(validate({ ...message, verdict: 'compliant' })).toBe(false);
    expect(validate({ ...message, extra: 1 })).toBe(false);
    expect(validate({ ...message, flags: [{ code: 'NOT_A_FLAG', severity: 'high', message: 'x' }] })).toBe(
      false,
    );
  });
});

describe('deadLetterHeaders', () => {
  it('gives the reasons as a JSON array and the origin as text', () => {
    const headers = deadLetterHeaders(['purpose: is required', 'safeguards.foo: unknown field'], {
      topic: 'disclosures.v1',
      partition: 3,
      offset: '9007199254740993',
    });

    expect(headers).toEqual({
      'x-reject-reasons': '["purpose: is required","safeguards.foo: unknown field"]',
      'x-source-topic': 'disclosures.v1',
      'x-source-partition': '3',
      'x-source-offset': '9007199254740993',
    });
    expect(JSON.parse(headers[DLQ_HEADERS.rejectReasons])).toEqual([
      'purpose: is required',
      'safeguards.foo: unknown field',
    ]);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AsyncApiContract } from '#libs/testing';
import { TOPICS } from './codes.js';
import {
  buildDeadLetterMessage,
  buildFlaggedDisclosureMessage,
  deadLetterHeaders,
  DLQ_HEADERS,
  FLAG_CODES,
  FLAG_SEVERITIES,
  type FlaggedDisclosureMessage,
} from './output-messages.js';
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
});

describe('the builders of output messages, against asyncapi.yaml as @asyncapi/parser reads it', () => {
  let contract: AsyncApiContract;
  let flagged: FlaggedDisclosureMessage;

  beforeAll(async () => {
    contract = await AsyncApiContract.load();
    const parsed = parseDisclosureMessage(JSON.stringify(sampleDisclosureEvent()));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    flagged = {
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
    // The parser validates the whole document and resolves its references: slow on a busy machine.
  }, 60_000);

  const asConsumed = (message: { key: Buffer | null; value: Buffer; headers: Record<string, string> }) => ({
    ...message,
    headers: { ...message.headers },
  });
  const withPayload = (payload: unknown) => ({
    key: null,
    value: Buffer.from(JSON.stringify(payload)),
    headers: {},
  });

  it('builds a flagged message the FlaggedDisclosure schema accepts, keyed by eventId', () => {
    const message = buildFlaggedDisclosureMessage(flagged);

    expect(contract.problems('flagged', asConsumed(message))).toEqual([]);
    expect(message.key?.toString('utf8')).toBe(flagged.eventId);
    expect(JSON.parse(message.value.toString('utf8'))).toEqual(flagged);
    expect(
      contract.problems('flagged', withPayload({ ...flagged, notice: null, registerVersion: null })),
    ).toEqual([]);
  });

  it.each([
    ['a register version as a bare string', { registerVersion: '2021-01-01' }],
    ['no flags', { flags: [] }],
    ['another verdict', { verdict: 'compliant' }],
    ['an unknown member', { extra: 1 }],
    ['an unknown flag code', { flags: [{ code: 'NOT_A_FLAG', severity: 'high', message: 'x' }] }],
    ['a trail seq of 0', { trail: { chain: 'disclosures.v1/0', seq: 0, entryHash: 'b'.repeat(64) } }],
  ])('refuses a flagged message with %s', (_what, change) => {
    expect(contract.problems('flagged', withPayload({ ...flagged, ...change }))).not.toEqual([]);
  });

  it('builds a dead letter with the original bytes, key and headers, and the required headers in their formats', () => {
    const original = {
      key: Buffer.from('HSG-1'),
      value: Buffer.from([0xff, 0x00, 0x41]),
      headers: { ce_id: 'x' },
    };
    const message = buildDeadLetterMessage(original, ['purpose: is required'], {
      topic: 'disclosures.v1',
      partition: 2,
      offset: '9007199254740993',
    });

    expect(contract.problems('deadLetter', asConsumed(message))).toEqual([]);
    expect(message.value.equals(original.value)).toBe(true);
    expect(message.key?.toString()).toBe('HSG-1');
    expect(message.headers.ce_id).toBe('x');
  });

  it.each([
    ['without x-source-offset', { 'x-source-offset': undefined }],
    ['with a partition that is not a number', { 'x-source-partition': 'two' }],
    ['with an offset that is not decimal', { 'x-source-offset': '0x10' }],
    ['with reasons that are not JSON', { 'x-reject-reasons': 'purpose is required' }],
  ])('refuses a dead letter %s', (_what, change) => {
    const message = buildDeadLetterMessage({ key: null, value: Buffer.from('x'), headers: {} }, ['r'], {
      topic: 'disclosures.v1',
      partition: 0,
      offset: '1',
    });
    const headers = Object.fromEntries(
      Object.entries({ ...message.headers, ...change }).filter(([, value]) => value !== undefined),
    ) as Record<string, string>;

    expect(contract.problems('deadLetter', { ...message, headers })).not.toEqual([]);
  });

  it('lets an original header named like a dead-letter header be replaced, not kept', () => {
    const message = buildDeadLetterMessage(
      { key: null, value: Buffer.from('x'), headers: { 'x-source-topic': 'spoofed' } },
      ['r'],
      { topic: 'disclosures.v1', partition: 0, offset: '1' },
    );

    expect(message.headers['x-source-topic']).toBe('disclosures.v1');
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

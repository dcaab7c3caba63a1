import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DATA_CATEGORIES } from './codes.js';
import { DISCLOSURE_VALIDATOR_OPTIONS, DisclosureEventDto } from './disclosure-event.dto.js';
import { RFC3339_DATE_TIME_PATTERN, STORABLE_TEXT_PATTERN, UUID_PATTERN } from './formats.js';
import { ISO_3166_ALPHA2_CODES } from './iso-countries.js';
import { parseDisclosureMessage } from './parse-disclosure.js';
import { sampleDisclosureEvent } from './sample-event.js';
import { passesAllRules, validationPlanOf } from './validation-plan.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  enum?: unknown[];
  [keyword: string]: unknown;
}

const schema = JSON.parse(
  readFileSync(new URL('../disclosure-event.schema.json', import.meta.url), 'utf8'),
) as SchemaNode;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
const validateWithSchema = ajv.compile(schema);

type Edit = (event: Loose) => void;
/** The sample event as a test may break it: any field may be given any value. */
type Loose = Record<string, unknown> &
  Record<
    'source' | 'actor' | 'subject' | 'lawfulBasis' | 'recipient' | 'safeguards',
    Record<string, unknown>
  >;

function edited(edit: Edit): Loose {
  const event = sampleDisclosureEvent() as Loose;
  edit(event);
  return event;
}

/** The spec example with purpose or recipient.name given as raw JSON text, for escapes JSON.stringify would not write. */
function withRawText(field: 'purpose' | 'recipientName', rawJson: string): unknown {
  const event = edited((e) =>
    field === 'purpose' ? (e.purpose = '@@raw@@') : (e.recipient.name = '@@raw@@'),
  );
  return JSON.parse(JSON.stringify(event).replace('"@@raw@@"', rawJson));
}

interface Sample {
  name: string;
  value: unknown;
  valid: boolean;
}

const accepts = (name: string, edit: Edit): Sample => ({ name, value: edited(edit), valid: true });
const rejects = (name: string, edit: Edit): Sample => ({ name, value: edited(edit), valid: false });
const acceptsValue = (name: string, value: unknown): Sample => ({ name, value, valid: true });
const rejectsValue = (name: string, value: unknown): Sample => ({ name, value, valid: false });

const REQUIRED_FIELDS = [
  'eventId',
  'occurredAt',
  'source',
  'subject',
  'dataCategories',
  'purpose',
  'lawfulBasis',
  'recipient',
];
const NESTED_OBJECTS = ['source', 'actor', 'subject', 'lawfulBasis', 'recipient', 'safeguards'] as const;

const samples: Sample[] = [
  accepts('the spec example, nulls included', () => undefined),
  acceptsValue('required fields only', {
    eventId: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11',
    occurredAt: '2026-10-01T10:00:00Z',
    source: { system: 'x', serviceArea: '' },
    subject: { ref: 'r' },
    dataCategories: ['identity'],
    purpose: '',
    lawfulBasis: { article6: 'public-task' },
    recipient: { name: '' },
  }),
  accepts('every optional field null', (e) => {
    for (const field of ['controller', 'actor', 'safeguards', 'collectedAt', 'recordCount']) e[field] = null;
    e.subject.kind = null;
    e.lawfulBasis = { article6: 'consent', legislation: null, specialCondition: null };
    e.recipient = { id: null, name: 'x', category: null, country: null, internal: null };
  }),
  accepts('optional objects empty', (e) => {
    e.actor = {};
    e.safeguards = {};
  }),
  accepts('special-category data without specialCondition (flagged later, not rejected)', (e) => {
    e.dataCategories = ['health', 'criminal-offence'];
    delete e.lawfulBasis.specialCondition;
  }),
  accepts('unknown controller, service area, purpose and recipient', (e) => {
    e.controller = 'nowhere';
    e.source.serviceArea = 'Human resources';
    e.purpose = 'anything';
    e.recipient = { name: 'Somebody', category: 'someone' };
  }),
  // Missing and null required fields.
  ...REQUIRED_FIELDS.flatMap((field) => [
    rejects(`${field} missing`, (e) => delete e[field]),
    rejects(`${field} null`, (e) => (e[field] = null)),
  ]),
  rejects('source.system missing', (e) => delete e.source.system),
  rejects('source.serviceArea null', (e) => (e.source.serviceArea = null)),
  rejects('subject.ref null', (e) => (e.subject.ref = null)),
  rejects('lawfulBasis.article6 missing', (e) => delete e.lawfulBasis.article6),
  rejects('recipient.name null', (e) => (e.recipient.name = null)),
  // Wrong types.
  rejects('eventId a number', (e) => (e.eventId = 1)),
  rejects('controller a boolean', (e) => (e.controller = true)),
  rejects('source an array', (e) => ((e as Record<string, unknown>).source = [])),
  rejects('actor a string', (e) => ((e as Record<string, unknown>).actor = 'staff')),
  rejects('actor.id a number', (e) => (e.actor.id = 4411)),
  rejects('subject a string', (e) => ((e as Record<string, unknown>).subject = 'HSG-000123')),
  rejects('dataCategories a string', (e) => (e.dataCategories = 'identity')),
  rejects('dataCategories holding a number', (e) => (e.dataCategories = ['identity', 1])),
  rejects('dataCategories holding null', (e) => (e.dataCategories = [null])),
  rejects('purpose an object', (e) => (e.purpose = {})),
  rejects('lawfulBasis.legislation a number', (e) => (e.lawfulBasis.legislation = 1996)),
  rejects('recipient.internal a string', (e) => (e.recipient.internal = 'false')),
  rejects('recipient.country a number', (e) => (e.recipient.country = 826)),
  rejects('safeguards.pseudonymised a number', (e) => (e.safeguards.pseudonymised = 0)),
  rejects('safeguards.consentRef an array', (e) => (e.safeguards.consentRef = [])),
  rejects('recordCount a string', (e) => (e.recordCount = '1')),
  rejects('recordCount a fraction', (e) => (e.recordCount = 1.5)),
  accepts('recordCount a large integer', (e) => (e.recordCount = 1_000_000)),
  // Every enum.
  ...DATA_CATEGORIES.map((code) => accepts(`data category ${code}`, (e) => (e.dataCategories = [code]))),
  rejects('data category "medical"', (e) => (e.dataCategories = ['identity', 'medical'])),
  rejects('data category in upper case', (e) => (e.dataCategories = ['IDENTITY'])),
  accepts('a repeated data category', (e) => (e.dataCategories = ['identity', 'identity'])),
  rejects('dataCategories empty', (e) => (e.dataCategories = [])),
  accepts('subject.kind child', (e) => (e.subject.kind = 'child')),
  rejects('subject.kind alien', (e) => (e.subject.kind = 'alien')),
  accepts('article6 legitimate-interests', (e) => (e.lawfulBasis.article6 = 'legitimate-interests')),
  rejects('article6 "public task"', (e) => (e.lawfulBasis.article6 = 'public task')),
  accepts(
    'specialCondition health-social-care',
    (e) => (e.lawfulBasis.specialCondition = 'health-social-care'),
  ),
  rejects('specialCondition empty', (e) => (e.lawfulBasis.specialCondition = '')),
  accepts('transferMechanism idta', (e) => (e.safeguards.transferMechanism = 'idta')),
  rejects('transferMechanism scc', (e) => (e.safeguards.transferMechanism = 'scc')),
  accepts('exemption immigration', (e) => (e.safeguards.exemption = 'immigration')),
  rejects('exemption crime', (e) => (e.safeguards.exemption = 'crime')),
  accepts('country US', (e) => (e.recipient.country = 'US')),
  rejects('country UK', (e) => (e.recipient.country = 'UK')),
  rejects('country gb', (e) => (e.recipient.country = 'gb')),
  rejects('country GBR', (e) => (e.recipient.country = 'GBR')),
  rejects('country EU', (e) => (e.recipient.country = 'EU')),
  // Lengths at the boundaries.
  rejects('source.system empty', (e) => (e.source.system = '')),
  accepts('source.system 128 characters', (e) => (e.source.system = 's'.repeat(128))),
  rejects('source.system 129 characters', (e) => (e.source.system = 's'.repeat(129))),
  accepts('source.system 128 emoji', (e) => (e.source.system = '\u{1F600}'.repeat(128))),
  rejects('source.system 129 emoji', (e) => (e.source.system = '\u{1F600}'.repeat(129))),
  rejects('subject.ref empty', (e) => (e.subject.ref = '')),
  accepts('subject.ref 256 characters', (e) => (e.subject.ref = 'r'.repeat(256))),
  rejects('subject.ref 257 characters', (e) => (e.subject.ref = 'r'.repeat(257))),
  rejects('recordCount 0', (e) => (e.recordCount = 0)),
  accepts('recordCount 1', (e) => (e.recordCount = 1)),
  // Unknown fields at each depth.
  rejects('unknown field at the top', (e) => (e.name = 'Jane Doe')),
  ...NESTED_OBJECTS.map((parent) => rejects(`unknown field in ${parent}`, (e) => (e[parent].extra = null))),
  rejectsValue(
    '__proto__ key',
    JSON.parse(JSON.stringify(sampleDisclosureEvent()).replace('{', '{"__proto__":{},')),
  ),
  rejects('constructor key in recipient', (e) => Object.assign(e.recipient, { constructor: 'x' })),
  // Date formats.
  accepts('occurredAt with an offset and a fraction', (e) => (e.occurredAt = '2026-10-01T11:00:00.5+01:00')),
  accepts('occurredAt in lower case', (e) => (e.occurredAt = '2026-10-01t10:00:00z')),
  accepts('occurredAt on 29 February of a leap year', (e) => (e.occurredAt = '2028-02-29T10:00:00Z')),
  rejects('occurredAt on 30 February', (e) => (e.occurredAt = '2026-02-30T10:00:00Z')),
  rejects('occurredAt on 29 February of 2100', (e) => (e.occurredAt = '2100-02-29T10:00:00Z')),
  rejects('occurredAt without offset', (e) => (e.occurredAt = '2026-10-01T10:00:00')),
  rejects('occurredAt with a space', (e) => (e.occurredAt = '2026-10-01 10:00:00Z')),
  rejects('occurredAt with +0100', (e) => (e.occurredAt = '2026-10-01T10:00:00+0100')),
  rejects('occurredAt a leap second', (e) => (e.occurredAt = '2026-12-31T23:59:60Z')),
  rejects('occurredAt a date', (e) => (e.occurredAt = '2026-10-01')),
  rejects('collectedAt hour 24', (e) => (e.collectedAt = '2026-10-01T24:00:00Z')),
  // UUIDs.
  accepts('eventId in upper case', (e) => (e.eventId = '6F1C2A7E-3B1D-4C1E-9A55-0C2F0F8B9D11')),
  rejects('eventId without hyphens', (e) => (e.eventId = '6f1c2a7e3b1d4c1e9a550c2f0f8b9d11')),
  rejects('eventId as a URN', (e) => (e.eventId = 'urn:uuid:6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11')),
  // Text PostgreSQL cannot store.
  rejectsValue('purpose with NUL', withRawText('purpose', '"a\\u0000b"')),
  rejectsValue('recipient.name with an unpaired surrogate', withRawText('recipientName', '"\\udc00"')),
  acceptsValue('recipient.name with a surrogate pair', withRawText('recipientName', '"\\ud83d\\ude00"')),
  // Not objects at all.
  rejectsValue('an array', [sampleDisclosureEvent()]),
  rejectsValue('a string', 'event'),
  rejectsValue('null', null),
];

const hasDangerousKey = (sample: Sample): boolean =>
  /"(__proto__|constructor|prototype)"/.test(JSON.stringify(sample.value));

describe('disclosure-event.schema.json', () => {
  it('has enough samples, both valid and invalid', () => {
    expect(samples.length).toBeGreaterThanOrEqual(40);
    expect(samples.filter((sample) => sample.valid).length).toBeGreaterThanOrEqual(15);
    expect(new Set(samples.map((sample) => sample.name)).size).toBe(samples.length);
  });

  it.each(samples.map((sample) => [sample.name, sample] as const))(
    'the schema and the parser agree: %s',
    (_name, sample) => {
      const schemaVerdict = validateWithSchema(sample.value);
      const parserVerdict = parseDisclosureMessage(JSON.stringify(sample.value)).ok;

      expect({ schema: schemaVerdict, parser: parserVerdict }).toEqual({
        schema: sample.valid,
        parser: sample.valid,
      });
    },
  );

  it.each(
    samples
      .filter(
        (sample) =>
          typeof sample.value === 'object' &&
          sample.value !== null &&
          !Array.isArray(sample.value) &&
          !hasDangerousKey(sample),
      )
      .map((sample) => [sample.name, sample] as const),
  )('class-validator on its own (plainToInstance + validateSync) agrees: %s', (_name, sample) => {
    const instance = plainToInstance(DisclosureEventDto, sample.value);

    expect(validateSync(instance, DISCLOSURE_VALIDATOR_OPTIONS).length === 0).toBe(sample.valid);
    // The fast plan models every rule but the whitelist (the parser checks keys itself).
    const withoutWhitelist = {
      ...DISCLOSURE_VALIDATOR_OPTIONS,
      whitelist: false,
      forbidNonWhitelisted: false,
    };
    expect(
      passesAllRules(validationPlanOf(DisclosureEventDto), instance as unknown as Record<string, unknown>),
    ).toBe(validateSync(instance, withoutWhitelist).length === 0);
  });

  it('uses the same patterns as the parser', () => {
    const patterns = new Set<string>();
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'pattern' && typeof value === 'string') patterns.add(value);
        else walk(value);
      }
    };
    walk(schema);

    expect([...patterns].sort()).toEqual(
      [UUID_PATTERN.source, RFC3339_DATE_TIME_PATTERN.source, STORABLE_TEXT_PATTERN.source].sort(),
    );
  });

  it('lists exactly the ISO countries the parser accepts, and forbids unknown fields at every level', () => {
    const country = schema.properties!.recipient.properties!.country;

    expect(country.enum!.filter((code) => code !== null).sort()).toEqual([...ISO_3166_ALPHA2_CODES].sort());
    const objects = [schema, ...Object.values(schema.properties!).filter((property) => property.properties)];
    expect(objects).toHaveLength(7);
    for (const object of objects) expect(object.additionalProperties).toBe(false);
  });
});

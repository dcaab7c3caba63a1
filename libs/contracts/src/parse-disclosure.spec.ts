import { MAX_MESSAGE_BYTES } from './codes.js';
import { SourceDto } from './disclosure-event.dto.js';
import { MAX_REPORTED_ERRORS, parseDisclosureMessage, type ParseResult } from './parse-disclosure.js';
import { sampleDisclosureEvent } from './sample-event.js';

type SampleEvent = ReturnType<typeof sampleDisclosureEvent>;

function parseEdited(edit: (event: SampleEvent) => void): ParseResult {
  const event = sampleDisclosureEvent();
  edit(event);
  return parseDisclosureMessage(Buffer.from(JSON.stringify(event), 'utf8'));
}

function errorsOf(result: ParseResult): string[] {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.event)}`);
  return result.errors;
}

/** The spec example with one field replaced by raw JSON text, for values JSON.stringify cannot produce. */
function sampleWithRaw(field: string, rawJson: string): string {
  const text = JSON.stringify({ ...sampleDisclosureEvent(), [field]: '@@raw@@' });
  return text.replace('"@@raw@@"', rawJson);
}

const CATEGORY_LIST =
  'identity, contact, date-of-birth, nhs-number, financial, tenancy, education, employment, care-records, images, ' +
  'location, online-identifiers, health, racial-or-ethnic-origin, religious-belief, political-opinion, ' +
  'trade-union-membership, genetic, biometric, sex-life-or-orientation, criminal-offence';

describe('parseDisclosureMessage', () => {
  describe('a valid event', () => {
    it('accepts the spec example and returns it as plain objects without its nulls', () => {
      const result = parseDisclosureMessage(Buffer.from(JSON.stringify(sampleDisclosureEvent())));

      expect(result).toEqual({
        ok: true,
        event: {
          eventId: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11',
          occurredAt: '2026-10-01T10:00:00Z',
          controller: 'leicester-city-council',
          source: { system: 'northgate-housing', serviceArea: 'housing' },
          actor: { id: 'staff-4411', role: 'housing officer' },
          subject: { ref: 'HSG-000123', kind: 'tenant' },
          dataCategories: ['identity', 'contact', 'tenancy'],
          purpose: 'prevention and detection of crime',
          lawfulBasis: { article6: 'public-task', legislation: 'Housing Act 1996' },
          recipient: { name: 'Leicestershire Police', category: 'police', country: 'GB', internal: false },
          safeguards: { pseudonymised: false, anonymised: false, sharingAgreementRef: 'ISA-042' },
          collectedAt: '2026-09-12T09:30:00Z',
          recordCount: 1,
        },
      });
      if (!result.ok) return;
      for (const part of [
        result.event,
        result.event.source,
        result.event.recipient,
        result.event.safeguards,
      ]) {
        expect(Object.getPrototypeOf(part)).toBe(Object.prototype);
      }
      expect(Object.keys(result.event.lawfulBasis)).not.toContain('specialCondition');
    });

    it('gives the same result for the text as for its bytes', () => {
      const text = JSON.stringify(sampleDisclosureEvent());

      expect(parseDisclosureMessage(text)).toEqual(parseDisclosureMessage(Buffer.from(text)));
    });

    it('accepts an event with only the required fields', () => {
      const minimal = {
        eventId: '00000000-0000-0000-0000-000000000000',
        occurredAt: '2026-10-01T11:00:00+01:00',
        source: { system: 's', serviceArea: '' },
        subject: { ref: 'r' },
        dataCategories: ['health'],
        purpose: '',
        lawfulBasis: { article6: 'consent' },
        recipient: { name: '' },
      };

      expect(parseDisclosureMessage(JSON.stringify(minimal))).toEqual({ ok: true, event: minimal });
    });

    it('leaves what the register decides to the checker: unknown controller, service area, purpose, recipient, and no specialCondition', () => {
      const result = parseEdited((event) => {
        event.controller = 'some-other-council';
        event.source.serviceArea = 'Not A Service';
        event.purpose = 'fun';
        event.recipient = { name: 'Nobody Ltd', category: 'whatever' };
        event.dataCategories = ['health', 'criminal-offence'];
        event.lawfulBasis = { article6: 'legitimate-interests' };
      });

      expect(result.ok).toBe(true);
    });

    it('ignores a UTF-8 byte order mark, as RFC 8259 allows', () => {
      const text = JSON.stringify(sampleDisclosureEvent());

      expect(parseDisclosureMessage(Buffer.from(`\uFEFF${text}`)).ok).toBe(true);
      expect(parseDisclosureMessage(`\uFEFF${text}`).ok).toBe(true);
    });
  });

  describe('rejects bytes that are not one UTF-8 JSON object of at most 64 KiB', () => {
    it('names the size of a message over 64 KiB', () => {
      const text = JSON.stringify(sampleDisclosureEvent());
      const tooBig = text.padEnd(MAX_MESSAGE_BYTES + 1, ' ');

      expect(parseDisclosureMessage(Buffer.from(tooBig))).toEqual({
        ok: false,
        eventId: null,
        errors: ['message is 65537 bytes; the limit is 65536'],
      });
    });

    it('accepts exactly 64 KiB, counting bytes not characters', () => {
      const text = JSON.stringify({ ...sampleDisclosureEvent(), purpose: 'é' });
      const padded = text.padEnd(MAX_MESSAGE_BYTES - 1, ' ');

      expect(Buffer.byteLength(padded)).toBe(MAX_MESSAGE_BYTES);
      expect(parseDisclosureMessage(padded).ok).toBe(true);
      expect(errorsOf(parseDisclosureMessage(`${padded} `))).toEqual([
        'message is 65537 bytes; the limit is 65536',
      ]);
    });

    it.each([
      ['a stray continuation byte', [0x80]],
      ['an invalid byte', [0xff]],
      ['an overlong encoding of "/"', [0xc0, 0xaf]],
      ['an encoded surrogate', [0xed, 0xa0, 0x80]],
      ['a truncated sequence', [0xe2, 0x82]],
    ])('rejects invalid UTF-8: %s', (_name, bytes) => {
      const text = JSON.stringify({ ...sampleDisclosureEvent(), purpose: '@' });
      const at = text.indexOf('@');
      const message = Buffer.concat([
        Buffer.from(text.slice(0, at)),
        Buffer.from(bytes),
        Buffer.from(text.slice(at + 1)),
      ]);

      expect(parseDisclosureMessage(message)).toEqual({
        ok: false,
        eventId: null,
        errors: ['message is not valid UTF-8'],
      });
    });

    it('rejects text with an unpaired surrogate, which has no UTF-8 form', () => {
      const text = JSON.stringify(sampleDisclosureEvent()).replace(
        'housing officer',
        'housing \uD800officer',
      );

      expect(errorsOf(parseDisclosureMessage(text))).toEqual([
        'message is not valid UTF-8 (unpaired surrogate)',
      ]);
    });

    it("gives the JSON parser's reason without echoing the input", () => {
      const errors = errorsOf(parseDisclosureMessage('{"purpose": "Jane Doe, 1 High Street", oops}'));

      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^message is not valid JSON: .*position 39$/);
      expect(errorsOf(parseDisclosureMessage('Jane Doe'))[0]).toBe(
        "message is not valid JSON: Unexpected token 'J'",
      );
      expect(errorsOf(parseDisclosureMessage(''))[0]).toBe(
        'message is not valid JSON: Unexpected end of JSON input',
      );
    });

    it.each([
      ['[]', 'array'],
      ['"text"', 'string'],
      ['42', 'number'],
      ['null', 'null'],
      ['true', 'boolean'],
    ])('rejects %s: not an object', (text, type) => {
      expect(parseDisclosureMessage(text)).toEqual({
        ok: false,
        eventId: null,
        errors: [`message must be a JSON object (got ${type})`],
      });
    });
  });

  describe('rejects a missing required field, and reads null as missing', () => {
    it.each([
      ['eventId', (e: SampleEvent) => delete e.eventId],
      ['occurredAt', (e: SampleEvent) => delete e.occurredAt],
      ['source', (e: SampleEvent) => delete (e as Partial<SampleEvent>).source],
      ['source.system', (e: SampleEvent) => delete e.source.system],
      ['source.serviceArea', (e: SampleEvent) => delete e.source.serviceArea],
      ['subject', (e: SampleEvent) => delete (e as Partial<SampleEvent>).subject],
      ['subject.ref', (e: SampleEvent) => delete e.subject.ref],
      ['dataCategories', (e: SampleEvent) => delete (e as Partial<SampleEvent>).dataCategories],
      ['purpose', (e: SampleEvent) => delete e.purpose],
      ['lawfulBasis', (e: SampleEvent) => delete (e as Partial<SampleEvent>).lawfulBasis],
      ['lawfulBasis.article6', (e: SampleEvent) => delete e.lawfulBasis.article6],
      ['recipient', (e: SampleEvent) => delete (e as Partial<SampleEvent>).recipient],
      ['recipient.name', (e: SampleEvent) => delete e.recipient.name],
    ])('%s missing', (path, remove) => {
      expect(errorsOf(parseEdited(remove))).toEqual([`${path}: is required`]);
    });

    it.each([
      ['eventId'],
      ['occurredAt'],
      ['source'],
      ['subject'],
      ['dataCategories'],
      ['purpose'],
      ['lawfulBasis'],
      ['recipient'],
    ])('%s null', (field) => {
      expect(errorsOf(parseEdited((e) => (e[field] = null)))).toEqual([`${field}: is required`]);
    });

    it.each([
      ['source', 'system'],
      ['subject', 'ref'],
      ['lawfulBasis', 'article6'],
      ['recipient', 'name'],
    ] as const)('%s.%s null', (parent, field) => {
      expect(errorsOf(parseEdited((e) => (e[parent][field] = null)))).toEqual([
        `${parent}.${field}: is required`,
      ]);
    });

    it('names every missing field at once', () => {
      expect(errorsOf(parseDisclosureMessage('{}'))).toEqual([
        'eventId: is required',
        'occurredAt: is required',
        'source: is required',
        'subject: is required',
        'dataCategories: is required',
        'purpose: is required',
        'lawfulBasis: is required',
        'recipient: is required',
      ]);
    });
  });

  describe('accepts null for every optional field, as absent', () => {
    it('at the top level and inside the nested objects', () => {
      const result = parseEdited((e) => {
        for (const field of ['controller', 'actor', 'safeguards', 'collectedAt', 'recordCount'])
          e[field] = null;
        e.subject.kind = null;
        e.lawfulBasis.legislation = null;
        e.recipient = { id: null, name: 'x', category: null, country: null, internal: null };
      });

      expect(result.ok && result.event).toEqual({
        eventId: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11',
        occurredAt: '2026-10-01T10:00:00Z',
        source: { system: 'northgate-housing', serviceArea: 'housing' },
        subject: { ref: 'HSG-000123' },
        dataCategories: ['identity', 'contact', 'tenancy'],
        purpose: 'prevention and detection of crime',
        lawfulBasis: { article6: 'public-task' },
        recipient: { name: 'x' },
      });
    });

    it('inside actor and safeguards', () => {
      const result = parseEdited((e) => {
        e.actor = { id: null, role: null };
        e.safeguards = {
          pseudonymised: null,
          anonymised: null,
          consentRef: null,
          sharingAgreementRef: null,
          transferMechanism: null,
          exemption: null,
        };
      });

      expect(result.ok && [result.event.actor, result.event.safeguards]).toEqual([{}, {}]);
    });
  });

  describe('rejects a wrong type', () => {
    it.each([
      ['eventId', 42, 'eventId: must be a UUID string (got number)'],
      ['occurredAt', 1790848800000, 'occurredAt: must be an RFC 3339 date-time string (got number)'],
      ['controller', false, 'controller: must be a string (got boolean)'],
      ['source', 'northgate', 'source: must be an object (got string)'],
      ['source', [], 'source: must be an object (got array)'],
      ['actor', 'staff-4411', 'actor: must be an object (got string)'],
      ['subject', ['HSG-000123'], 'subject: must be an object (got array)'],
      ['dataCategories', 'identity', 'dataCategories: must be an array of data category codes (got string)'],
      [
        'dataCategories',
        { 0: 'identity' },
        'dataCategories: must be an array of data category codes (got object)',
      ],
      ['purpose', ['crime'], 'purpose: must be a string (got array)'],
      ['lawfulBasis', 'public-task', 'lawfulBasis: must be an object (got string)'],
      ['recipient', 'Police', 'recipient: must be an object (got string)'],
      ['safeguards', true, 'safeguards: must be an object (got boolean)'],
      ['collectedAt', {}, 'collectedAt: must be an RFC 3339 date-time string (got object)'],
      ['recordCount', '1', 'recordCount: must be an integer (got string)'],
      ['recordCount', 1.5, 'recordCount: must be an integer (got number)'],
    ])('%s = %j', (field, value, reason) => {
      expect(errorsOf(parseEdited((e) => (e[field] = value)))).toEqual([reason]);
    });

    it.each([
      ['source', 'system', 7, 'source.system: must be a string (got number)'],
      ['source', 'serviceArea', {}, 'source.serviceArea: must be a string (got object)'],
      ['actor', 'id', 4411, 'actor.id: must be a string (got number)'],
      ['actor', 'role', [], 'actor.role: must be a string (got array)'],
      ['subject', 'ref', 123, 'subject.ref: must be a string (got number)'],
      ['subject', 'kind', 1, 'subject.kind: must be a subject kind code (got number)'],
      [
        'lawfulBasis',
        'article6',
        true,
        'lawfulBasis.article6: must be a UK GDPR Article 6 basis code (got boolean)',
      ],
      ['lawfulBasis', 'legislation', 1996, 'lawfulBasis.legislation: must be a string (got number)'],
      ['recipient', 'id', 1, 'recipient.id: must be a string (got number)'],
      ['recipient', 'name', {}, 'recipient.name: must be a string (got object)'],
      ['recipient', 'category', [], 'recipient.category: must be a string (got array)'],
      [
        'recipient',
        'country',
        826,
        'recipient.country: must be an ISO 3166-1 alpha-2 country code (got number)',
      ],
      ['recipient', 'internal', 'true', 'recipient.internal: must be true or false (got string)'],
      ['safeguards', 'pseudonymised', 0, 'safeguards.pseudonymised: must be true or false (got number)'],
      ['safeguards', 'anonymised', 'no', 'safeguards.anonymised: must be true or false (got string)'],
      ['safeguards', 'consentRef', 5, 'safeguards.consentRef: must be a string (got number)'],
      [
        'safeguards',
        'sharingAgreementRef',
        [],
        'safeguards.sharingAgreementRef: must be a string (got array)',
      ],
      [
        'safeguards',
        'transferMechanism',
        1,
        'safeguards.transferMechanism: must be a transfer mechanism code (got number)',
      ],
      ['safeguards', 'exemption', {}, 'safeguards.exemption: must be a exemption code (got object)'],
    ] as const)('%s.%s = %j', (parent, field, value, reason) => {
      expect(errorsOf(parseEdited((e) => (e[parent][field] = value)))).toEqual([reason]);
    });

    it('names each element of dataCategories that is not a code', () => {
      const errors = errorsOf(parseEdited((e) => (e.dataCategories = ['identity', 5, 'medical', null])));

      expect(errors).toEqual([
        'dataCategories[1]: must be a data category code (got number)',
        `dataCategories[2]: "medical" is not a data category (one of ${CATEGORY_LIST})`,
        'dataCategories[3]: must be a data category code (got null)',
      ]);
    });
  });

  describe('rejects a wrong format', () => {
    it.each([
      ['6f1c2a7e3b1d4c1e9a550c2f0f8b9d11', '"6f1c2a7e3b1d4c1e9a550c2f0f8b9d11"'],
      ['{6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11}', '"{6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11}"'],
      ['urn:uuid:6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11', '"urn:uuid:6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8…"'],
      ['6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d1g', '"6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d1g"'],
      ['', '""'],
    ])('eventId %j', (eventId, shown) => {
      expect(errorsOf(parseEdited((e) => (e.eventId = eventId)))).toEqual([
        `eventId: ${shown} is not a UUID (8-4-4-4-12 hexadecimal digits)`,
      ]);
    });

    it('accepts a UUID of any version, in either case', () => {
      for (const eventId of [
        'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        '01890a5d-ac96-774b-bcce-b302099a8057',
      ]) {
        expect(parseEdited((e) => (e.eventId = eventId)).ok).toBe(true);
      }
    });

    it.each([
      ['2026-10-01T10:00:00', 'no zone offset'],
      ['2026-10-01', 'a date alone'],
      ['2026-10-01 10:00:00Z', 'a space for T'],
      ['2026-10-01T10:00Z', 'no seconds'],
      ['2026-10-01T10:00:00+0100', 'an offset without a colon'],
      ['2026-10-01T10:00:00+01', 'an offset without minutes'],
      ['2026-02-30T10:00:00Z', '30 February'],
      ['2025-02-29T10:00:00Z', '29 February in a common year'],
      ['2100-02-29T10:00:00Z', '29 February in a century that is not a leap year'],
      ['2026-04-31T10:00:00Z', '31 April'],
      ['2026-13-01T10:00:00Z', 'month 13'],
      ['2026-10-01T24:00:00Z', 'hour 24'],
      ['2026-12-31T23:59:60Z', 'a leap second'],
      ['2026-10-01T10:00:00+24:00', 'offset hour 24'],
      ['2026-10-01T10:00:00.Z', 'an empty fraction'],
      ['Thu, 01 Oct 2026 10:00:00 GMT', 'an RFC 2822 date'],
    ])('occurredAt %j (%s)', (occurredAt) => {
      expect(errorsOf(parseEdited((e) => (e.occurredAt = occurredAt)))).toEqual([
        `occurredAt: ${JSON.stringify(occurredAt)} is not an RFC 3339 date-time with a zone offset (e.g. 2026-10-01T10:00:00Z)`,
      ]);
    });

    it('applies the same format to collectedAt', () => {
      expect(errorsOf(parseEdited((e) => (e.collectedAt = '2026-09-12')))[0]).toMatch(
        /^collectedAt: "2026-09-12" is not/,
      );
    });

    it.each([
      ['2024-02-29T10:00:00Z'],
      ['2000-02-29T00:00:00Z'],
      ['2026-10-01t10:00:00z'],
      ['2026-10-01T10:00:00.123456789+05:30'],
      ['2026-10-01T10:00:00-00:00'],
      ['2026-10-01T23:59:59-23:59'],
    ])('accepts the RFC 3339 date-time %j', (occurredAt) => {
      expect(parseEdited((e) => (e.occurredAt = occurredAt)).ok).toBe(true);
    });

    it('rejects text that PostgreSQL cannot store: NUL and unpaired surrogates sent as JSON escapes', () => {
      const withNul = sampleWithRaw('purpose', '"crime\\u0000"');
      const withSurrogate = sampleWithRaw('controller', '"council\\ud800"');
      const reason = 'must not contain U+0000 or an unpaired surrogate (\\u0000, \\ud800 escapes)';

      expect(errorsOf(parseDisclosureMessage(withNul))).toEqual([`purpose: ${reason}`]);
      expect(errorsOf(parseDisclosureMessage(withSurrogate))).toEqual([`controller: ${reason}`]);
      expect(parseDisclosureMessage(sampleWithRaw('purpose', '"crime \\ud83d\\ude00"')).ok).toBe(true);
    });
  });

  describe('rejects a value outside a stated range or length', () => {
    it('an empty dataCategories', () => {
      expect(errorsOf(parseEdited((e) => (e.dataCategories = [])))).toEqual([
        'dataCategories: must name at least one data category',
      ]);
    });

    it.each([[0], [-1]])('recordCount %j', (recordCount) => {
      expect(errorsOf(parseEdited((e) => (e.recordCount = recordCount)))).toEqual([
        'recordCount: must be at least 1',
      ]);
    });

    it('source.system of 0 or 129 characters, but not 1 or 128', () => {
      expect(errorsOf(parseEdited((e) => (e.source.system = '')))).toEqual([
        'source.system: must be 1 to 128 characters long (got 0)',
      ]);
      expect(errorsOf(parseEdited((e) => (e.source.system = 'x'.repeat(129))))).toEqual([
        'source.system: must be 1 to 128 characters long (got 129)',
      ]);
      expect(parseEdited((e) => (e.source.system = 'x')).ok).toBe(true);
      expect(parseEdited((e) => (e.source.system = 'x'.repeat(128))).ok).toBe(true);
    });

    it('subject.ref of 0 or 257 characters, but not 256; without quoting the reference', () => {
      const longRef = 'Jane Doe '.repeat(29).slice(0, 257);

      expect(errorsOf(parseEdited((e) => (e.subject.ref = '')))).toEqual([
        'subject.ref: must be 1 to 256 characters long (got 0)',
      ]);
      expect(errorsOf(parseEdited((e) => (e.subject.ref = longRef)))).toEqual([
        'subject.ref: must be 1 to 256 characters long (got 257)',
      ]);
      expect(parseEdited((e) => (e.subject.ref = 'r'.repeat(256))).ok).toBe(true);
    });

    it('counts characters as code points, as JSON Schema does', () => {
      const emoji = '\u{1F600}';

      expect(parseEdited((e) => (e.source.system = emoji.repeat(128))).ok).toBe(true);
      expect(errorsOf(parseEdited((e) => (e.source.system = emoji.repeat(129))))).toEqual([
        'source.system: must be 1 to 128 characters long (got 129)',
      ]);
    });
  });

  describe('rejects a value outside the fixed lists', () => {
    it.each([
      [
        'subject',
        'kind',
        'alien',
        'subject kind',
        'resident, tenant, pupil, child, parent, patient, staff, customer, business, other',
      ],
      [
        'lawfulBasis',
        'article6',
        'public task',
        'UK GDPR Article 6 basis',
        'consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests',
      ],
      [
        'lawfulBasis',
        'specialCondition',
        'explicit consent',
        'special-category condition',
        'explicit-consent, employment-social-security, vital-interests, not-for-profit, made-public, legal-claims, ' +
          'substantial-public-interest, health-social-care, public-health, archiving-research',
      ],
      [
        'safeguards',
        'transferMechanism',
        'scc',
        'transfer mechanism',
        'adequacy, idta, addendum-scc, bcr, derogation',
      ],
      ['safeguards', 'exemption', 'crime', 'exemption', 'crime-and-taxation, immigration, legal-proceedings'],
    ] as const)('%s.%s %j', (parent, field, value, noun, list) => {
      expect(errorsOf(parseEdited((e) => (e[parent][field] = value)))).toEqual([
        `${parent}.${field}: "${value}" is not a ${noun} (one of ${list})`,
      ]);
    });

    it('an empty string is not a code', () => {
      expect(errorsOf(parseEdited((e) => (e.subject.kind = '')))).toEqual([
        expect.stringMatching(/^subject\.kind: "" is not a subject kind/),
      ]);
    });

    it('a data category', () => {
      expect(errorsOf(parseEdited((e) => (e.dataCategories = ['identity', 'contact', 'medical'])))).toEqual([
        `dataCategories[2]: "medical" is not a data category (one of ${CATEGORY_LIST})`,
      ]);
    });

    it.each([
      [
        'UK',
        'recipient.country: "UK" is not an ISO 3166-1 alpha-2 country code (use GB for the United Kingdom)',
      ],
      ['EL', 'recipient.country: "EL" is not an ISO 3166-1 alpha-2 country code (use GR for Greece)'],
      ['gb', 'recipient.country: "gb" is not an ISO 3166-1 alpha-2 country code (codes are upper case: GB)'],
      [
        'uk',
        'recipient.country: "uk" is not an ISO 3166-1 alpha-2 country code (use GB for the United Kingdom)',
      ],
      ['EU', 'recipient.country: "EU" is not an ISO 3166-1 alpha-2 country code'],
      ['XK', 'recipient.country: "XK" is not an ISO 3166-1 alpha-2 country code'],
      ['GBR', 'recipient.country: "GBR" is not an ISO 3166-1 alpha-2 country code'],
      ['', 'recipient.country: "" is not an ISO 3166-1 alpha-2 country code'],
    ])('a country %j', (country, reason) => {
      expect(errorsOf(parseEdited((e) => (e.recipient.country = country)))).toEqual([reason]);
    });

    it('accepts officially assigned countries outside Europe', () => {
      for (const country of ['US', 'IN', 'JP', 'AX', 'SS']) {
        expect(parseEdited((e) => (e.recipient.country = country)).ok).toBe(true);
      }
    });
  });

  describe('rejects an unknown field at any depth', () => {
    it.each([
      ['', 'name'],
      ['source', 'topic'],
      ['actor', 'email'],
      ['subject', 'dateOfBirth'],
      ['lawfulBasis', 'article9'],
      ['recipient', 'address'],
      ['safeguards', 'foo'],
    ] as const)('in %j: %s', (parent, field) => {
      const result = parseEdited((e) => {
        const target: Record<string, unknown> = parent === '' ? e : e[parent];
        target[field] = 'Jane Doe';
      });

      expect(errorsOf(result)).toEqual([`${parent === '' ? field : `${parent}.${field}`}: unknown field`]);
    });

    it('quotes a field name that is not an identifier, shortened', () => {
      const result = parseEdited((e) => {
        e.recipient['home address'] = 'x';
        e['k'.repeat(100)] = 'x';
      });

      expect(errorsOf(result)).toEqual([
        'recipient["home address"]: unknown field',
        `["${'k'.repeat(40)}…"]: unknown field`,
      ]);
    });

    it('reports an unknown field and the other problems together', () => {
      const result = parseEdited((e) => {
        e.safeguards.foo = 1;
        delete e.purpose;
        e.recipient.country = 'UK';
      });

      expect(errorsOf(result)).toEqual([
        'purpose: is required',
        'recipient.country: "UK" is not an ISO 3166-1 alpha-2 country code (use GB for the United Kingdom)',
        'safeguards.foo: unknown field',
      ]);
    });
  });

  describe('names the event in a rejection when it can', () => {
    it('gives the eventId when it is a UUID', () => {
      const result = parseEdited((e) => delete e.purpose);

      expect(result).toEqual({
        ok: false,
        eventId: '6f1c2a7e-3b1d-4c1e-9a55-0c2f0f8b9d11',
        errors: ['purpose: is required'],
      });
    });

    it('gives null when the eventId is not a UUID or not there', () => {
      expect(parseEdited((e) => (e.eventId = 'abc'))).toMatchObject({ ok: false, eventId: null });
      expect(parseEdited((e) => delete e.eventId)).toMatchObject({ ok: false, eventId: null });
      expect(parseEdited((e) => (e.eventId = 12))).toMatchObject({ ok: false, eventId: null });
    });
  });

  describe('guards against prototype pollution', () => {
    afterEach(() => {
      // A failure here would leak into every later test; make the damage visible instead.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('reports __proto__, constructor and prototype keys as unknown fields at every depth', () => {
      const text = JSON.stringify(sampleDisclosureEvent())
        .replace(
          '{"eventId"',
          '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"eventId"',
        )
        .replace('{"system"', '{"__proto__":{"polluted":true},"system"')
        .replace(
          '{"pseudonymised"',
          '{"constructor":{"polluted":true},"prototype":{"polluted":true},"pseudonymised"',
        );

      expect(errorsOf(parseDisclosureMessage(text))).toEqual([
        '__proto__: unknown field',
        'constructor: unknown field',
        'source.__proto__: unknown field',
        'safeguards.constructor: unknown field',
        'safeguards.prototype: unknown field',
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(SourceDto.prototype)).toEqual(['constructor']);
    });

    it('does not take required fields from a __proto__ key', () => {
      const text = JSON.stringify(sampleDisclosureEvent()).replace(
        '{"system":"northgate-housing",',
        '{"__proto__":{"system":"northgate-housing"},',
      );

      expect(errorsOf(parseDisclosureMessage(text))).toEqual([
        'source.system: is required',
        'source.__proto__: unknown field',
      ]);
    });

    it('still validates an object whose "constructor" key tries to stand in for its class', () => {
      const text = JSON.stringify(sampleDisclosureEvent()).replace(
        '{"system":"northgate-housing",',
        '{"constructor":{"name":"Object"},"system":7,',
      );

      expect(errorsOf(parseDisclosureMessage(text))).toEqual([
        'source.system: must be a string (got number)',
        'source.constructor: unknown field',
      ]);
    });
  });

  describe('survives deep nesting', () => {
    const depth = 30_000;
    const nestedArrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;

    it.each([
      ['purpose', 'purpose: must be a string (got array)'],
      ['source', 'source: must be an object (got array)'],
      ['dataCategories', 'dataCategories[0]: must be a data category code (got array)'],
      ['deep', 'deep: unknown field'],
    ])('%s holding arrays 30,000 levels deep', (field, reason) => {
      const text = sampleWithRaw(field, nestedArrays);

      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
      expect(errorsOf(parseDisclosureMessage(text))).toEqual([reason]);
    });

    it('objects nested deep inside a nested object', () => {
      const levels = 9_000;
      const text = sampleWithRaw('safeguards', `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

      expect(errorsOf(parseDisclosureMessage(text))).toEqual(['safeguards.a: unknown field']);
    });
  });

  describe('keeps reasons safe to put in a header', () => {
    it(`reports at most ${MAX_REPORTED_ERRORS} reasons`, () => {
      const result = parseEdited((e) => {
        for (let i = 0; i < 100; i++) e[`extra${i}`] = i;
      });
      const errors = errorsOf(result);

      expect(errors).toHaveLength(MAX_REPORTED_ERRORS);
      expect(errors[0]).toBe('extra0: unknown field');
      expect(errors[MAX_REPORTED_ERRORS - 1]).toBe('and 76 more problems');
    });

    it('shortens a long rejected code', () => {
      const errors = errorsOf(parseEdited((e) => (e.subject.kind = 'k'.repeat(5000))));

      expect(errors[0]).toMatch(new RegExp(`^subject\\.kind: "${'k'.repeat(40)}…" is not a subject kind`));
      expect(errors[0].length).toBeLessThan(300);
    });

    it("does not let a value expand class-validator's message tokens", () => {
      const errors = errorsOf(parseEdited((e) => (e.recipient.country = '$value$property')));

      expect(errors).toEqual([
        'recipient.country: "\\u0024value\\u0024property" is not an ISO 3166-1 alpha-2 country code',
      ]);
    });
  });
});

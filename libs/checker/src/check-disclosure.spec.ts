import { resolve } from 'node:path';
import type { DisclosureEvent } from '#libs/contracts';
import { loadRegister } from '#libs/register';
import { disclosureEvent } from '#libs/testing';
import { checkDisclosure } from './check-disclosure.js';
import { FlagCode } from './verdict.js';

const register = loadRegister(resolve(process.cwd(), 'register'));

function check(overrides: Parameters<typeof disclosureEvent>[0]) {
  return checkDisclosure(disclosureEvent(overrides), register);
}

function codes(overrides: Parameters<typeof disclosureEvent>[0]): FlagCode[] {
  return check(overrides).flags.map((flag) => flag.code);
}

describe('checkDisclosure', () => {
  describe('a disclosure inside its notice', () => {
    it('is compliant and names the notice and register version', () => {
      const result = check({});
      expect(result).toMatchObject({ verdict: 'compliant', flags: [], notice: 'housing' });
      expect(result.registerVersion?.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(result.registerVersion?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('accepts the wording of a line, its head, or the code, whatever the case and punctuation', () => {
      expect(codes({ purpose: 'responding to housing emergencies - refugee schemes, for example' })).toEqual(
        [],
      );
      expect(codes({ purpose: 'Responding to housing emergencies' })).toEqual([]);
      expect(codes({ purpose: 'prevention-and-detection-of-crime' })).toEqual([]);
      expect(
        codes({ recipient: { name: 'Judicial agencies – courts, for example', category: undefined } }),
      ).toEqual([]);
    });

    it('matches an organisation named inside a line, and in every category a notice names it under', () => {
      // 002 Housing: "government departments – for example: HMRC, DWP, DLHUC, Home Office".
      expect(codes({ recipient: { name: 'HMRC', category: undefined } })).toEqual([]);
      // Planning and transport lists only "government departments"; HMRC is one because other lines say so.
      expect(
        codes({
          source: { serviceArea: 'planning-and-transport' },
          recipient: { name: 'HMRC', category: undefined },
        }),
      ).toEqual([]);
    });

    it('reads "X and other Y" as naming X', () => {
      // 002 Information technology: "police and other crime enforcement agencies".
      expect(
        codes({
          source: { serviceArea: 'information-technology' },
          purpose: 'to manage threat analysis',
          recipient: { name: 'Police', category: undefined },
        }),
      ).toEqual([]);
    });

    it('takes the service area by its heading as printed', () => {
      expect(
        check({ source: { serviceArea: 'Human resources (HR)' }, purpose: 'to employ staff' }).notice,
      ).toBe('human-resources');
      expect(check({ source: { serviceArea: 'Human resources' }, purpose: 'to employ staff' }).verdict).toBe(
        'compliant',
      );
      expect(
        check({ source: { serviceArea: 'CCTV' }, purpose: 'prevent, investigate and detect crime' }).verdict,
      ).toBe('compliant');
    });
  });

  describe('NOTICE_UNKNOWN', () => {
    it('is raised for an unknown service area and replaces the coverage flags', () => {
      const result = check({
        source: { serviceArea: 'car parks' },
        purpose: 'selling data',
        recipient: { name: 'police' },
      });
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.NOTICE_UNKNOWN]);
      expect(result.flags[0].severity).toBe('high');
      expect(result.notice).toBeNull();
      expect(result.flags[0].message).toContain('car parks');
    });

    it('is raised for an unknown controller, and for a service area of the other council', () => {
      expect(codes({ controller: 'rutland-county-council' })).toEqual([FlagCode.NOTICE_UNKNOWN]);
      expect(
        codes({ controller: 'leicestershire-county-council', source: { serviceArea: 'housing' } }),
      ).toEqual([FlagCode.NOTICE_UNKNOWN]);
    });

    it('is raised before the first service-area notice, and before the first version of the register', () => {
      // Spec section 7: 001, the edition before 003, is in force before 2018-05-25; it is a reference notice.
      const result = check({ occurredAt: '2018-05-24T12:00:00Z', collectedAt: '2018-05-01T00:00:00Z' });
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.NOTICE_UNKNOWN]);
      expect(result.registerVersion?.id).toBe('2015-04-01');
      const beforeRegister = check({
        occurredAt: '2015-03-31T12:00:00Z',
        collectedAt: '2015-03-01T00:00:00Z',
      });
      expect(beforeRegister.flags.map((flag) => flag.code)).toEqual([FlagCode.NOTICE_UNKNOWN]);
      expect(beforeRegister.registerVersion).toBeNull();
      expect(check({ occurredAt: '2018-05-25T00:00:00Z' }).verdict).toBe('compliant');
    });

    it('still lets RECIPIENT_UNKNOWN and the cross-cutting checks through', () => {
      expect(
        codes({
          source: { serviceArea: 'car parks' },
          recipient: { name: 'Acme Data Brokers Ltd', category: undefined, country: 'CN' },
          dataCategories: ['health'],
        }),
      ).toEqual([
        FlagCode.NOTICE_UNKNOWN,
        FlagCode.RECIPIENT_UNKNOWN,
        FlagCode.SPECIAL_CATEGORY_NO_CONDITION,
        FlagCode.TRANSFER_NO_SAFEGUARD,
      ]);
    });

    it('is not raised for the county council children social care notice', () => {
      const result = check({
        controller: 'leicestershire-county-council',
        source: { serviceArea: "Children's Social Care" },
        purpose: 'Support children and monitor their progress',
        dataCategories: ['identity', 'care-records'],
        recipient: { name: 'Police' },
      });
      expect(result).toMatchObject({ verdict: 'compliant', notice: 'children-social-care' });
    });
  });

  describe('PURPOSE_NOT_IN_NOTICE', () => {
    it('is raised for a purpose the notice does not give, quoting what it does give', () => {
      const result = check({ purpose: 'to run elections' });
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.PURPOSE_NOT_IN_NOTICE]);
      expect(result.flags[0].message).toContain('notice "housing"');
      expect(result.flags[0].message).toContain('prevention and detection of crime');
    });

    it('is raised for a purpose no notice gives', () => {
      expect(codes({ purpose: 'selling the tenant list' })).toEqual([FlagCode.PURPOSE_NOT_IN_NOTICE]);
    });

    it('is not raised for the head of a purpose line', () => {
      expect(codes({ purpose: 'statutory requirements' })).toEqual([]);
    });
  });

  describe('RECIPIENT_NOT_IN_NOTICE', () => {
    it('is raised for a recipient that only other notices list', () => {
      const result = check({ recipient: { name: 'political parties', category: undefined } });
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.RECIPIENT_NOT_IN_NOTICE]);
      expect(result.flags[0].message).toContain('judicial agencies');
    });

    it('is not raised when the name resolves to a recipient of the notice', () => {
      expect(codes({ recipient: { name: 'credit reference agencies', category: undefined } })).toEqual([]);
    });

    it('decides by recipient.id first, then the name, and the category only when the name resolves to nothing', () => {
      expect(codes({ recipient: { id: 'political-parties', name: 'police', category: 'police' } })).toEqual([
        FlagCode.RECIPIENT_NOT_IN_NOTICE,
      ]);
      expect(codes({ recipient: { name: 'political parties', category: 'police' } })).toEqual([
        FlagCode.RECIPIENT_NOT_IN_NOTICE,
      ]);
      expect(codes({ recipient: { name: 'Leicester Tenants Watch', category: 'police' } })).toEqual([]);
    });
  });

  describe('RECIPIENT_UNKNOWN', () => {
    it('is raised (medium) when neither name nor category resolves', () => {
      const result = check({ recipient: { name: 'Acme Data Brokers Ltd', category: 'data brokers' } });
      expect(result.flags.map((flag) => [flag.code, flag.severity])).toEqual([
        [FlagCode.RECIPIENT_UNKNOWN, 'medium'],
      ]);
      expect(result.flags[0].message).toContain('Acme Data Brokers Ltd');
    });

    it('is not raised when the category resolves', () => {
      expect(
        codes({ recipient: { name: 'Acme Credit Checks', category: 'credit reference agencies' } }),
      ).toEqual([]);
    });
  });

  describe('LAWFUL_BASIS_NOT_IN_NOTICE', () => {
    it('is raised for a basis the notice does not give', () => {
      const result = check({ lawfulBasis: { article6: 'legitimate-interests' } });
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.LAWFUL_BASIS_NOT_IN_NOTICE]);
      expect(result.flags[0].message).toContain('public-task');
    });

    it('is not raised for a basis a qualified line gives', () => {
      // 002 Information technology: "legitimate interest (web analytics)"; the qualifier does not restrict it.
      expect(
        codes({
          source: { serviceArea: 'information-technology' },
          purpose: 'to manage staff IT accounts',
          recipient: { name: 'Microsoft', category: undefined },
          lawfulBasis: { article6: 'legitimate-interests' },
        }),
      ).toEqual([]);
      // 002 Digital transformation: "consent – consultations".
      expect(
        codes({
          source: { serviceArea: 'digital-transformation' },
          purpose: 'service delivery',
          lawfulBasis: { article6: 'consent' },
        }),
      ).toEqual([]);
    });
  });

  describe('DATA_CATEGORY_NOT_IN_NOTICE', () => {
    const county = {
      controller: 'leicestershire-county-council',
      source: { serviceArea: 'children-social-care' },
      purpose: 'To help inform the decisions that we make about your child’s care',
      recipient: { name: 'Police' },
    };

    it('is raised when a notice lists data categories and the event has others', () => {
      const result = check({ ...county, dataCategories: ['identity', 'financial'] });
      expect(result.flags.map((flag) => [flag.code, flag.severity])).toEqual([
        [FlagCode.DATA_CATEGORY_NOT_IN_NOTICE, 'medium'],
      ]);
      expect(result.flags[0].message).toContain('financial');
    });

    it('is not raised when all the categories are listed', () => {
      expect(
        codes({
          ...county,
          dataCategories: ['identity', 'care-records', 'health'],
          lawfulBasis: { article6: 'public-task', specialCondition: 'health-social-care' },
        }),
      ).toEqual([]);
    });

    it('is never raised for a notice that lists no data categories', () => {
      expect(codes({ dataCategories: ['financial', 'images', 'location'] })).toEqual([]);
    });
  });

  describe('CONSENT_REQUIRED', () => {
    const unionDisclosure = {
      source: { serviceArea: 'legal-services' },
      purpose: 'to manage legal cases',
      recipient: { name: 'union representatives', category: undefined },
    };

    it('is raised for a "with consent" recipient line without a consentRef', () => {
      expect(codes(unionDisclosure)).toEqual([FlagCode.CONSENT_REQUIRED]);
      expect(codes({ ...unionDisclosure, safeguards: { consentRef: 'CONSENT-77' } })).toEqual([]);
    });

    it('is raised for a 004 secondary use with neither consent nor de-identified data', () => {
      const research = {
        controller: 'leicestershire-county-council',
        source: { serviceArea: 'children-social-care' },
        purpose: 'Research',
        dataCategories: ['identity' as const],
        recipient: { name: 'Public Health England' },
      };
      expect(codes(research)).toEqual([FlagCode.CONSENT_REQUIRED]);
      expect(codes({ ...research, safeguards: { consentRef: 'C-1' } })).toEqual([]);
      expect(codes({ ...research, safeguards: { pseudonymised: true } })).toEqual([]);
      expect(codes({ ...research, safeguards: { anonymised: true } })).toEqual([]);
    });

    it('is not raised for hedged wording ("we will try, wherever possible, ... with your consent")', () => {
      expect(
        codes({
          source: { serviceArea: 'social-care' },
          purpose: 'direct care',
          recipient: { name: 'health professionals', category: undefined },
          dataCategories: ['identity', 'health'],
          lawfulBasis: { article6: 'public-task', specialCondition: 'health-social-care' },
        }),
      ).toEqual([]);
    });
  });

  describe('PSEUDONYMISATION_REQUIRED', () => {
    const publicHealth = {
      source: { serviceArea: 'public-health' },
      purpose: 'public health and protection',
      recipient: { name: 'NHS Digital', category: undefined },
    };

    it('is raised when the notice shares with the recipient only pseudonymised or anonymised', () => {
      const result = check(publicHealth);
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.PSEUDONYMISATION_REQUIRED]);
      expect(result.flags[0].message).toContain('pseudonymised or anonymised');
    });

    it('is not raised for pseudonymised or anonymised data, nor replaced by consent', () => {
      expect(codes({ ...publicHealth, safeguards: { pseudonymised: true } })).toEqual([]);
      expect(codes({ ...publicHealth, safeguards: { anonymised: true } })).toEqual([]);
      expect(codes({ ...publicHealth, safeguards: { consentRef: 'C-9' } })).toEqual([
        FlagCode.PSEUDONYMISATION_REQUIRED,
      ]);
    });

    it('is raised even when a council-wide notice covers the disclosure (spec section 7)', () => {
      // University Hospitals of Leicester is a health partner; the public health notice's condition travels with it.
      const result = check({ ...publicHealth, purpose: 'direct care', recipient: { name: 'UHL' } });
      expect(result).toMatchObject({ verdict: 'flagged', notice: 'health-and-social-care' });
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.PSEUDONYMISATION_REQUIRED]);
    });
  });

  describe('SPECIAL_CATEGORY_NO_CONDITION', () => {
    it('is raised for special-category or criminal-offence data without a special condition', () => {
      expect(codes({ dataCategories: ['identity', 'criminal-offence'] })).toEqual([
        FlagCode.SPECIAL_CATEGORY_NO_CONDITION,
      ]);
      expect(codes({ dataCategories: ['religious-belief'] })).toEqual([
        FlagCode.SPECIAL_CATEGORY_NO_CONDITION,
      ]);
    });

    it('is not raised with a special condition, or for ordinary data', () => {
      expect(
        codes({
          dataCategories: ['identity', 'criminal-offence'],
          lawfulBasis: { article6: 'public-task', specialCondition: 'substantial-public-interest' },
        }),
      ).toEqual([]);
      expect(codes({ dataCategories: ['identity', 'financial'] })).toEqual([]);
    });
  });

  describe('TRANSFER_NO_SAFEGUARD', () => {
    it('is raised outside the UK, the EEA and the adequacy list without a transfer mechanism', () => {
      expect(codes({ recipient: { country: 'IN' } })).toEqual([FlagCode.TRANSFER_NO_SAFEGUARD]);
      // The UK's US adequacy covers only certified organisations.
      expect(codes({ recipient: { country: 'US' } })).toEqual([FlagCode.TRANSFER_NO_SAFEGUARD]);
    });

    it('is not raised for the UK, the EEA, adequate countries or a named mechanism', () => {
      expect(codes({ recipient: { country: 'GB' } })).toEqual([]);
      expect(codes({ recipient: { country: undefined } })).toEqual([]);
      expect(codes({ recipient: { country: 'FR' } })).toEqual([]);
      expect(codes({ recipient: { country: 'NO' } })).toEqual([]);
      expect(codes({ recipient: { country: 'CH' } })).toEqual([]);
      expect(codes({ recipient: { country: 'IN' }, safeguards: { transferMechanism: 'idta' } })).toEqual([]);
    });

    it('uses the adequacy dates', () => {
      expect(codes({ recipient: { country: 'KR' }, occurredAt: '2022-12-18T12:00:00Z' })).toEqual([
        FlagCode.TRANSFER_NO_SAFEGUARD,
      ]);
      expect(codes({ recipient: { country: 'KR' }, occurredAt: '2022-12-20T12:00:00Z' })).toEqual([]);
    });
  });

  describe('RETENTION_EXCEEDED', () => {
    const testAndTrace = {
      source: { serviceArea: 'tourism-culture-and-investment' },
      purpose: 'COVID-19 Test and Trace',
      recipient: { name: 'Public Health England', category: undefined },
      dataCategories: ['identity' as const, 'contact' as const],
      occurredAt: '2020-10-25T09:00:00Z',
    };

    it('is raised when Test and Trace contact details are disclosed more than 21 days after collection', () => {
      const result = check({ ...testAndTrace, collectedAt: '2020-10-01T09:00:00Z' });
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.RETENTION_EXCEEDED]);
      expect(result.notice).toBe('test-and-trace');
      expect(result.flags[0].message).toContain('21 days');
    });

    it('is not raised within 21 days, at exactly 21 days, without collectedAt, or for other purposes', () => {
      expect(codes({ ...testAndTrace, collectedAt: '2020-10-20T09:00:00Z' })).toEqual([]);
      expect(codes({ ...testAndTrace, collectedAt: '2020-10-04T09:00:00Z' })).toEqual([]);
      expect(codes({ ...testAndTrace, collectedAt: undefined })).toEqual([]);
      expect(codes({ collectedAt: '2019-01-01T00:00:00Z' })).toEqual([]);
    });
  });

  describe('MARKETING_WITHOUT_CONSENT', () => {
    const marketing = {
      source: { serviceArea: 'tourism-culture-and-investment' },
      purpose: 'communications and marketing',
      recipient: { name: 'East Midlands Chamber', category: undefined },
      lawfulBasis: { article6: 'consent' as const },
    };

    it('is raised for a marketing purpose shared outside the council without consent', () => {
      expect(codes(marketing)).toEqual([FlagCode.MARKETING_WITHOUT_CONSENT]);
      expect(
        codes({
          ...marketing,
          purpose: 'e-newsletter promotions',
          recipient: { name: 'East Midlands Chamber' },
        }),
      ).toContain(FlagCode.MARKETING_WITHOUT_CONSENT);
    });

    it('is not raised with consent, inside the council, or for "to promote" wording', () => {
      expect(codes({ ...marketing, safeguards: { consentRef: 'OPT-IN-5' } })).toEqual([]);
      expect(codes({ ...marketing, recipient: { name: 'Festivals team', internal: true } })).not.toContain(
        FlagCode.MARKETING_WITHOUT_CONSENT,
      );
      expect(codes({ ...marketing, purpose: 'to promote economic regeneration' })).toEqual([]);
    });
  });

  describe('EXEMPTION_CLAIMED', () => {
    it('is always raised (low) when an exemption is relied on', () => {
      const result = check({ recipient: { name: 'HMRC' }, safeguards: { exemption: 'crime-and-taxation' } });
      expect(result.flags.map((flag) => [flag.code, flag.severity])).toEqual([
        [FlagCode.EXEMPTION_CLAIMED, 'low'],
      ]);
      expect(result.verdict).toBe('flagged');
    });

    it('replaces RECIPIENT_NOT_IN_NOTICE when the exemption fits the recipient', () => {
      const digital = { source: { serviceArea: 'digital-transformation' }, purpose: 'service delivery' };
      expect(codes({ ...digital, recipient: { name: 'HMRC', category: undefined } })).toEqual([
        FlagCode.RECIPIENT_NOT_IN_NOTICE,
      ]);
      expect(
        codes({
          ...digital,
          recipient: { name: 'HMRC', category: undefined },
          safeguards: { exemption: 'crime-and-taxation' },
        }),
      ).toEqual([FlagCode.EXEMPTION_CLAIMED]);
      expect(
        codes({
          ...digital,
          recipient: { name: 'Immigration Service', category: undefined },
          safeguards: { exemption: 'immigration' },
        }),
      ).toEqual([FlagCode.EXEMPTION_CLAIMED]);
      expect(
        codes({
          ...digital,
          recipient: { name: 'solicitors', category: undefined },
          safeguards: { exemption: 'legal-proceedings' },
        }),
      ).toEqual([FlagCode.EXEMPTION_CLAIMED]);
    });

    it('does not replace RECIPIENT_NOT_IN_NOTICE when the exemption does not fit', () => {
      expect(
        codes({
          source: { serviceArea: 'digital-transformation' },
          purpose: 'service delivery',
          recipient: { name: 'HMRC', category: undefined },
          safeguards: { exemption: 'immigration' },
        }),
      ).toEqual([FlagCode.RECIPIENT_NOT_IN_NOTICE, FlagCode.EXEMPTION_CLAIMED]);
    });
  });

  describe('council-wide notices and the closest notice', () => {
    it('covers the National Fraud Initiative from any Leicester service area', () => {
      const nfi = {
        source: { serviceArea: 'finance' },
        purpose: 'National Fraud Initiative',
        recipient: { name: 'Minister for the Cabinet Office', category: undefined },
        lawfulBasis: { article6: 'legal-obligation' as const },
      };
      expect(check(nfi)).toMatchObject({ verdict: 'compliant', notice: 'national-fraud-initiative' });
      expect(check({ ...nfi, purpose: 'prevention and detection of fraud' }).verdict).toBe('compliant');
      // With the wrong basis, NFI (purpose + recipient) is closer than Finance (basis only).
      const wrongBasis = check({ ...nfi, lawfulBasis: { article6: 'public-task' } });
      expect(wrongBasis.flags.map((flag) => flag.code)).toEqual([FlagCode.LAWFUL_BASIS_NOT_IN_NOTICE]);
      expect(wrongBasis.notice).toBe('national-fraud-initiative');
    });

    it('does not apply Leicester City Council notices to the county council', () => {
      expect(
        codes({
          controller: 'leicestershire-county-council',
          source: { serviceArea: 'children-social-care' },
          purpose: 'National Fraud Initiative',
          recipient: { name: 'Cabinet Office' },
          dataCategories: ['identity'],
          lawfulBasis: { article6: 'legal-obligation' },
        }),
      ).toEqual([FlagCode.PURPOSE_NOT_IN_NOTICE, FlagCode.RECIPIENT_NOT_IN_NOTICE]);
    });

    it('lets internal disclosures be covered by joined-up services or a council-departments line', () => {
      const joinedUp = {
        purpose: 'keeping your details up to date across council services',
        recipient: { name: 'council tax', category: undefined, internal: true },
        dataCategories: ['identity' as const, 'contact' as const],
      };
      expect(check(joinedUp)).toMatchObject({ verdict: 'compliant', notice: 'joined-up-services' });
      const extra = check({ ...joinedUp, dataCategories: ['identity', 'financial'] });
      expect(extra.flags.map((flag) => flag.code)).toEqual([FlagCode.DATA_CATEGORY_NOT_IN_NOTICE]);
      expect(extra.notice).toBe('joined-up-services');
      expect(
        check({
          source: { serviceArea: 'revenues-and-customer-support' },
          purpose: 'debt recovery',
          recipient: { name: 'empty homes team', internal: true },
        }),
      ).toMatchObject({ verdict: 'compliant', notice: 'revenues-and-customer-support' });
    });

    it('breaks a tie in favour of the service area notice', () => {
      // Digital transformation: purpose + basis (2). Test and trace support payment: recipient + basis (2).
      const result = check({
        source: { serviceArea: 'digital-transformation' },
        purpose: 'service delivery',
        recipient: { name: 'Experian', category: undefined },
      });
      expect(result.notice).toBe('digital-transformation');
      expect(result.flags.map((flag) => flag.code)).toEqual([FlagCode.RECIPIENT_NOT_IN_NOTICE]);
    });
  });

  it('is deterministic and never mentions the subject reference', () => {
    const event: DisclosureEvent = disclosureEvent({
      subject: { ref: 'HSG-SECRET-991' },
      purpose: 'to run elections',
      recipient: { name: 'Acme', country: 'CN' },
    });
    const first = checkDisclosure(event, register);
    expect(checkDisclosure(event, register)).toEqual(first);
    expect(JSON.stringify(first)).not.toContain('HSG-SECRET-991');
  });
});

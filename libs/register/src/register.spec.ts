import { resolve } from 'node:path';
import { lintRegister, RegisterWarningCode } from './register-lint.js';
import { loadRegister } from './register.js';

const register = loadRegister(resolve(process.cwd(), 'register'));
const at = (instant: string) => register.versionAt(Date.parse(instant));
const codesAt = (instant: string) => (at(instant)?.notices ?? []).map((notice) => notice.edition.code);

describe('register versions (spec section 7: dates in force)', () => {
  it('has 001 before 2018-05-25 and 003, the GDPR edition, from then', () => {
    const sourceOf = (instant: string) =>
      at(instant)
        ?.notices.find((notice) => notice.edition.code === 'how-we-use-information')
        ?.edition.sources.map((source) => source.file);
    expect(sourceOf('2018-05-24T23:59:59Z')).toEqual(['001_699988db41a48b06.txt']);
    expect(sourceOf('2018-05-25T00:00:00Z')).toEqual(['003_8b15156f99e16b26.txt']);
    expect(at('2015-03-31T23:59:59Z')).toBeUndefined();
  });

  it('puts test-and-trace and its support payment in force from 2020-09-24', () => {
    expect(codesAt('2020-09-23T23:59:59Z')).not.toContain('test-and-trace');
    expect(codesAt('2020-09-23T23:59:59Z')).not.toContain('test-and-trace-support-payment');
    expect(codesAt('2020-09-24T00:00:00Z')).toEqual(
      expect.arrayContaining(['test-and-trace', 'test-and-trace-support-payment']),
    );
  });

  it('puts covid-vulnerable-groups and the COPI notice in force from 2020-03-20, and ends COPI on 2022-06-30', () => {
    expect(codesAt('2020-03-19T12:00:00Z')).not.toContain('covid-vulnerable-groups');
    expect(codesAt('2020-03-19T12:00:00Z')).not.toContain('covid-19-copi');
    expect(codesAt('2020-03-20T00:00:00Z')).toEqual(
      expect.arrayContaining(['covid-vulnerable-groups', 'covid-19-copi']),
    );
    expect(codesAt('2022-06-29T23:59:59Z')).toContain('covid-19-copi');
    expect(codesAt('2022-06-30T00:00:00Z')).not.toContain('covid-19-copi');
    expect(codesAt('2022-06-30T00:00:00Z')).toContain('covid-vulnerable-groups');
  });

  it('keeps every service-area notice in force from 2018-05-25', () => {
    expect(codesAt('2018-05-25T00:00:00Z')).toEqual(
      expect.arrayContaining(['housing', 'cctv', 'children-social-care']),
    );
  });
});

describe('register lint', () => {
  it('warns about 004’s near-duplicate purposes whose conditions differ', () => {
    const warnings = lintRegister(register);
    expect(warnings.map((warning) => [warning.code, warning.entry])).toEqual(
      expect.arrayContaining([
        [
          RegisterWarningCode.NEAR_DUPLICATE_PURPOSES,
          'purposes "Research;" and "To assist with social care research and development;"',
        ],
        [
          RegisterWarningCode.NEAR_DUPLICATE_PURPOSES,
          'purposes "Teaching and training;" and "To help us to teach, train and monitor staff and their work, and to audit and improve our services and ensure they meet your needs;"',
        ],
      ]),
    );
    expect(
      warnings.every(
        (warning) => warning.file === 'notices/leicestershire-county-council/children-social-care.yaml',
      ),
    ).toBe(true);
  });

  it('does not warn about alike purposes with the same conditions ("research" and "statistical research" in finance)', () => {
    expect(lintRegister(register).some((warning) => warning.file.includes('finance'))).toBe(false);
  });
});

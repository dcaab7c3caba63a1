import { isISO31661Alpha2 } from 'class-validator';
import { codePointLength, isRfc3339DateTime, isStorableText } from './formats.js';
import { COUNTRY_CODE_HINTS, ISO_3166_ALPHA2_CODES } from './iso-countries.js';

describe('ISO_3166_ALPHA2_CODES', () => {
  it('holds the 249 officially assigned codes, the same as validator.js lists', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const all = [...letters].flatMap((first) => [...letters].map((second) => first + second));

    expect(ISO_3166_ALPHA2_CODES.size).toBe(249);
    expect(all.filter((code) => ISO_3166_ALPHA2_CODES.has(code))).toEqual(
      all.filter((code) => isISO31661Alpha2(code)),
    );
  });

  it('hints only at codes that are not ISO, towards codes that are', () => {
    for (const [code, hint] of COUNTRY_CODE_HINTS) {
      expect(ISO_3166_ALPHA2_CODES.has(code)).toBe(false);
      expect(ISO_3166_ALPHA2_CODES.has(hint.code)).toBe(true);
    }
  });
});

describe('isRfc3339DateTime', () => {
  it('checks the day against the month and the leap years', () => {
    const lastDays = [
      '01-31',
      '02-28',
      '03-31',
      '04-30',
      '05-31',
      '06-30',
      '07-31',
      '08-31',
      '09-30',
      '10-31',
      '11-30',
      '12-31',
    ];
    for (const monthDay of lastDays) {
      const [month, day] = monthDay.split('-');
      expect(isRfc3339DateTime(`2026-${month}-${day}T00:00:00Z`)).toBe(true);
      expect(isRfc3339DateTime(`2026-${month}-${Number(day) + 1}T00:00:00Z`)).toBe(false);
    }
    expect(isRfc3339DateTime('2024-02-29T00:00:00Z')).toBe(true);
    expect(isRfc3339DateTime('2000-02-29T00:00:00Z')).toBe(true);
    expect(isRfc3339DateTime('1900-02-29T00:00:00Z')).toBe(false);
    expect(isRfc3339DateTime('2026-01-00T00:00:00Z')).toBe(false);
  });

  it('gives only values that JavaScript dates read as the same instant', () => {
    for (const value of [
      '2026-10-01t10:00:00z',
      '2026-10-01T11:00:00.250+01:00',
      '0001-01-01T00:00:00-00:00',
    ]) {
      expect(isRfc3339DateTime(value)).toBe(true);
      expect(Number.isNaN(Date.parse(value))).toBe(false);
    }
    expect(Date.parse('2026-10-01T11:00:00.250+01:00')).toBe(Date.parse('2026-10-01T10:00:00.250Z'));
  });
});

describe('codePointLength', () => {
  it('counts a surrogate pair once and an unpaired surrogate once', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('a\u{1F600}b')).toBe(3);
    expect(codePointLength('\uD800\uD800')).toBe(2);
    expect(codePointLength('\uDE00\uD83D')).toBe(2);
    expect(codePointLength('')).toBe(0);
  });
});

describe('isStorableText', () => {
  it('refuses NUL and unpaired surrogates only', () => {
    expect(isStorableText('plain text, émoji \u{1F600}')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\uD800')).toBe(false);
    expect(isStorableText('\uDC00a')).toBe(false);
  });
});

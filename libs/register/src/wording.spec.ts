import { codeOf, headOf, wordingKey } from './wording.js';

describe('wordingKey', () => {
  it('ignores case, punctuation, white space and a trailing "for example"', () => {
    expect(wordingKey('Judicial agencies - courts, for example')).toBe(
      wordingKey('judicial agencies courts'),
    );
    expect(wordingKey('  Prevention and detection of CRIME. ')).toBe('preventionanddetectionofcrime');
    expect(wordingKey('service delivery for example')).toBe(wordingKey('Service delivery'));
  });

  it('treats a code and its wording alike', () => {
    expect(wordingKey('prevention-and-detection-of-crime')).toBe(
      wordingKey('prevention and detection of crime'),
    );
  });

  it('keeps "for example" when it is not at the end', () => {
    expect(wordingKey('for example: HMRC')).toBe('forexamplehmrc');
  });

  it('folds typographic apostrophes and accents', () => {
    expect(wordingKey('children’s social care')).toBe(wordingKey("children's social care"));
    expect(wordingKey('Café')).toBe('cafe');
  });
});

describe('headOf', () => {
  it.each([
    ['judicial agencies - courts, for example', 'judicial agencies'],
    ['government departments – for example: HMRC, DWP, DLHUC, Home Office', 'government departments'],
    ['union representatives (with consent)', 'union representatives'],
    ['storage companies – for example, Stor-a-file', 'storage companies'],
    ['police and other crime enforcement agencies', 'police and other crime enforcement agencies'],
    ['Other public authorities - schools, NHS', 'Other public authorities'],
    ['Stor-a-file', 'Stor-a-file'],
  ])('%s → %s', (line, head) => {
    expect(headOf(line)).toBe(head);
  });
});

describe('codeOf', () => {
  it('makes kebab-case codes', () => {
    expect(codeOf('Children’s social care')).toBe('childrens-social-care');
    expect(codeOf('Human resources')).toBe('human-resources');
    expect(codeOf('COVID-19 Test and Trace')).toBe('covid-19-test-and-trace');
    expect(codeOf('service delivery for example')).toBe('service-delivery');
  });
});

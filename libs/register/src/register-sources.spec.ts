/**
 * The register is a copy of the councils' published privacy notices. The comparison re-derives, from the seed text
 * itself, every line's wording, its conditions, each basis line's Art 6 bases, the organisations and categories each
 * line names, which lines name the council's own services, and the council-wide notices' recipients and dates, and
 * reports every difference from the register's YAML (read without the register loader).
 */
import path from 'node:path';
import {
  basesOfWording,
  compareWithSources,
  conditionOfWording,
  generalCouncilScope,
  readRegisterFiles,
  readSeeds,
  SourceReading,
} from './sources/compare-with-sources.js';

const reading = new SourceReading(readSeeds());
const files = readRegisterFiles(path.resolve(process.cwd(), 'register'));

describe('register against the source notices', () => {
  it('follows the seeds in every line, condition, basis, named organisation, council service and date', () => {
    expect(compareWithSources(files, reading)).toEqual([]);
  });

  it('reads 18 service-area sections from 002', () => {
    expect(reading.serviceAreas.map((section) => section.heading)).toHaveLength(18);
    expect(reading.serviceAreas.find((section) => section.heading === 'Housing')?.recipients).toHaveLength(
      12,
    );
  });
});

describe('how the comparison reads a notice line', () => {
  it('takes conditions only from "with consent" and "pseudonymised or anonymised"', () => {
    expect(conditionOfWording('union representatives (with consent)')).toBe('consent');
    expect(conditionOfWording('other third parties with consent')).toBe('consent');
    expect(
      conditionOfWording(
        'health partners – for example: NHS Digital, local GPs – data will be pseudonymised or anonymised.',
      ),
    ).toBe('pseudonymised');
    expect(
      conditionOfWording('To carry out research (using anonymised or pseudonymised data where possible)'),
    ).toBeUndefined();
    expect(conditionOfWording('consent – consultations')).toBeUndefined();
    expect(conditionOfWording('The Environment Agency')).toBeUndefined();
  });

  it('takes Art 6 bases from the start of a basis line, qualifiers ignored', () => {
    expect(
      basesOfWording('Legal obligation or public task under various UK laws including but not limited to'),
    ).toEqual(['legal-obligation', 'public-task']);
    expect(basesOfWording('consent – consultations')).toEqual(['consent']);
    expect(
      basesOfWording('consent (direct marketing, consultation, job creation, business support)'),
    ).toEqual(['consent']);
    expect(basesOfWording('contract (traded services)')).toEqual(['contract']);
    expect(basesOfWording('legitimate interest (web analytics)')).toEqual(['legitimate-interests']);
    expect(basesOfWording('consent for direct marketing')).toEqual(['consent']);
    expect(basesOfWording('some consent-based research')).toEqual([]);
    expect(
      basesOfWording('The Health & Social Care Act 2012 (plus consent under common law duty of confidence)'),
    ).toEqual([]);
    expect(basesOfWording('consultations')).toEqual([]);
    expect(basesOfWording('The Housing Acts 1988, 1996, 2002, 2004')).toEqual([]);
  });

  it('finds the lines that name the council’s services in general', () => {
    expect(generalCouncilScope('internal Council departments (e.g. empty homes, environmental health)')).toBe(
      'all',
    );
    expect(generalCouncilScope('services within the council')).toBe('all');
    expect(generalCouncilScope('internal/external enforcement agencies Trading Standards, HMRC')).toBe(
      'enforcement',
    );
    expect(generalCouncilScope('judicial agencies - courts, for example')).toBeUndefined();
    expect(generalCouncilScope('children’s social care')).toBeUndefined();
  });
});

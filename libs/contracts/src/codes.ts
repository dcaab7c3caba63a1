/**
 * The fixed lists of the disclosure event contract v1 (shared/spec/disclosure-event-v1.md, sections 2 and 3).
 * A value outside these lists makes an event `rejected`.
 */

export const DATA_CATEGORIES = [
  'identity',
  'contact',
  'date-of-birth',
  'nhs-number',
  'financial',
  'tenancy',
  'education',
  'employment',
  'care-records',
  'images',
  'location',
  'online-identifiers',
  'health',
  'racial-or-ethnic-origin',
  'religious-belief',
  'political-opinion',
  'trade-union-membership',
  'genetic',
  'biometric',
  'sex-life-or-orientation',
  'criminal-offence',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** UK GDPR Art 9 special categories. */
export const SPECIAL_CATEGORIES: ReadonlySet<DataCategory> = new Set<DataCategory>([
  'health',
  'racial-or-ethnic-origin',
  'religious-belief',
  'political-opinion',
  'trade-union-membership',
  'genetic',
  'biometric',
  'sex-life-or-orientation',
]);

/** UK GDPR Art 10 criminal offence data. */
export const CRIMINAL_OFFENCE_CATEGORIES: ReadonlySet<DataCategory> = new Set<DataCategory>([
  'criminal-offence',
]);

export const ARTICLE6_BASES = [
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'public-task',
  'legitimate-interests',
] as const;
export type Article6Basis = (typeof ARTICLE6_BASES)[number];

export const SPECIAL_CONDITIONS = [
  'explicit-consent',
  'employment-social-security',
  'vital-interests',
  'not-for-profit',
  'made-public',
  'legal-claims',
  'substantial-public-interest',
  'health-social-care',
  'public-health',
  'archiving-research',
] as const;
export type SpecialCondition = (typeof SPECIAL_CONDITIONS)[number];

export const SUBJECT_KINDS = [
  'resident',
  'tenant',
  'pupil',
  'child',
  'parent',
  'patient',
  'staff',
  'customer',
  'business',
  'other',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const TRANSFER_MECHANISMS = ['adequacy', 'idta', 'addendum-scc', 'bcr', 'derogation'] as const;
export type TransferMechanism = (typeof TRANSFER_MECHANISMS)[number];

/** DPA 2018 Schedule 2 exemptions a publisher may rely on. */
export const EXEMPTIONS = ['crime-and-taxation', 'immigration', 'legal-proceedings'] as const;
export type Exemption = (typeof EXEMPTIONS)[number];

export const DEFAULT_CONTROLLER = 'leicester-city-council';
export const DEFAULT_COUNTRY = 'GB';
export const MAX_MESSAGE_BYTES = 64 * 1024;

export const TOPICS = {
  disclosures: 'disclosures.v1',
  flagged: 'disclosures.flagged.v1',
  deadLetter: 'disclosures.dlq.v1',
} as const;

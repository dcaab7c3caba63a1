/**
 * Test support: compares the register's YAML with the source notices (../shared/seeds) and the spec, without the
 * register loader, so that a wrong line is caught even where the loader would accept it. Everything the register
 * says about a line (its wording, its conditions, the Art 6 bases of a basis line, the organisations and categories
 * it names, whether it names the council's own services) is derived here again from the seed text, and every
 * difference is reported. `register-sources.spec.ts` expects none; `register-mutations.spec.ts` changes the register
 * one fact at a time and expects at least one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const SEED_FILES = {
  councilWide: '000_25b572ba8a12ea38.txt',
  generalNotice2018: '001_699988db41a48b06.txt',
  serviceAreas: '002_3b9c8d17dc1330c8.txt',
  generalNotice2021: '003_8b15156f99e16b26.txt',
  childrenSocialCare: '004_4121a5cfce4eac32.txt',
} as const;

const CITY = 'leicester-city-council';
const COUNTY = 'leicestershire-county-council';

/** Spec section 4. */
export const SERVICE_AREA_CODES = [
  'cctv',
  'digital-transformation',
  'education-and-learning',
  'electoral-registration',
  'environmental-services',
  'estates-and-buildings',
  'finance',
  'housing',
  'human-resources',
  'information-technology',
  'legal-services',
  'planning-and-transport',
  'political-governance-and-communications',
  'public-health',
  'registration-services',
  'revenues-and-customer-support',
  'social-care',
  'tourism-culture-and-investment',
];

interface CouncilWideLine {
  /** The register's line: the wording the notice prints, or the category it prints under an alias. */
  text: string;
  /** Where it differs from `text`, what the cited seed section prints. */
  printed?: string;
  names: string[];
  councilServices?: 'all';
}

interface CouncilWideExpectation {
  purposes: string[];
  /** The Art 6 bases of each basis line, in order; the union is spec section 6's. */
  basisLines: string[][];
  dataCategories?: string[];
  /** What the notice shares with, line by line, as 000, 001 and 003 print it. */
  recipients: CouncilWideLine[];
  effectiveFrom: string;
}

/** Spec section 6's table of council-wide notices, with section 7's dates in force, read line by line from the seeds. */
export const COUNCIL_WIDE: Record<string, CouncilWideExpectation> = {
  'national-fraud-initiative': {
    purposes: ['national-fraud-initiative'],
    basisLines: [['legal-obligation']],
    recipients: [
      { text: 'Cabinet Office', printed: 'Minister for the Cabinet Office', names: ['cabinet-office'] },
    ],
    effectiveFrom: '2018-05-25',
  },
  'test-and-trace': {
    purposes: ['test-and-trace'],
    basisLines: [['public-task'], ['legal-obligation']],
    dataCategories: ['contact', 'identity'],
    recipients: [
      { text: 'Public Health England (PHE)', names: ['public-health-england'] },
      {
        text: 'Public Health England’s Test and Trace service',
        names: ['phe-test-and-trace', 'public-health-england'],
      },
    ],
    effectiveFrom: '2020-09-24',
  },
  'test-and-trace-support-payment': {
    purposes: ['test-and-trace-support-payment'],
    basisLines: [['public-task']],
    recipients: [
      { text: 'HMRC', names: ['hmrc'] },
      { text: 'Experian', names: ['experian'] },
      { text: 'employer', printed: 'your employer', names: [] },
    ],
    effectiveFrom: '2020-09-24',
  },
  'covid-vulnerable-groups': {
    purposes: ['covid-vulnerable-groups'],
    basisLines: [['public-task']],
    recipients: [
      { text: 'The Department for Environment, Food and Rural Affairs (DEFRA)', names: ['defra'] },
      { text: 'Tesco', names: ['tesco'] },
    ],
    effectiveFrom: '2020-03-20',
  },
  'statutory-returns': {
    purposes: ['statutory-returns'],
    basisLines: [['legal-obligation']],
    recipients: [{ text: 'government departments', printed: 'Government departments', names: [] }],
    effectiveFrom: '2018-05-25',
  },
  'joined-up-services': {
    purposes: ['joined-up-services'],
    basisLines: [['public-task']],
    dataCategories: ['contact', 'identity'],
    recipients: [{ text: 'services within the council', names: [], councilServices: 'all' }],
    effectiveFrom: '2018-05-25',
  },
  'health-and-social-care': {
    purposes: ['direct-care', 'nhs-number'],
    // "for your direct care"; "we must share your NHS number"; "for legal reasons, or when it is in your vital interest".
    basisLines: [['public-task'], ['legal-obligation'], ['legal-obligation', 'vital-interests']],
    recipients: [
      { text: 'health partners', names: [] },
      { text: 'health professionals', names: [] },
    ],
    effectiveFrom: '2018-05-25',
  },
  'cp-is': {
    purposes: ['cp-is'],
    basisLines: [['public-task']],
    recipients: [{ text: 'NHS', names: ['nhs'] }],
    effectiveFrom: '2018-05-25',
  },
};

/** Spec section 7's dates for the reference notices (exclusive ends), and the bases of their basis lines. */
const REFERENCE_NOTICES: Record<
  string,
  { effectiveFrom: string; effectiveTo?: string; basisLines: string[][] }
> = {
  // "the Council is required to process and share necessary health and social care data": a legal obligation, in
  // the council's public task.
  'covid-19-copi': {
    effectiveFrom: '2020-03-20',
    effectiveTo: '2022-06-30',
    basisLines: [['legal-obligation', 'public-task']],
  },
  'how-we-use-information@2018-05-25': { effectiveFrom: '2018-05-25', basisLines: [] },
  // 001, the edition before 003: it ends where 003 starts.
  'how-we-use-information': { effectiveFrom: '2015-04-01', effectiveTo: '2018-05-25', basisLines: [] },
};

function compareBasisLines(
  problem: (where: string, what: string) => void,
  file: string,
  lines: NoticeFile['lawfulBases'],
  expected: string[][],
): void {
  const actual = (lines ?? []).map((line) => sorted(line.article6 ?? []).join(', '));
  const wanted = expected.map((bases) => sorted(bases).join(', '));
  if (actual.join(' | ') !== wanted.join(' | ')) {
    problem(file, `basis lines give [${actual.join(' | ')}], but the notice gives [${wanted.join(' | ')}]`);
  }
}

/**
 * Organisations a line names without printing any of their names, reviewed by hand against the seeds. Everything
 * else a line names must be printed in it.
 */
const NAMED_WITHOUT_THEIR_WORDING: Record<string, string[]> = {
  // 002 Human resources: "Education" among government departments is the Department for Education.
  'government departments – for example DWP, HRMC, Education, S4c': ['department-for-education'],
  // 002 Social care: a GP surgery is GPs' practice.
  'GP surgeries': ['general-practitioners'],
  // 000: PHE's Test and Trace service is Public Health England's.
  'Public Health England’s Test and Trace service': ['public-health-england'],
  // 002 Environmental services: the plural of other notices' "youth offending service".
  'youth offending services': ['youth-offending-service'],
};

/** Names a line's words contain that it does not name, reviewed by hand against the seeds. */
const WORDING_THAT_NAMES_NOTHING: Record<string, string[]> = {
  // 004: "NHS Trusts" is the kind of body LPT is; the line does not name the NHS as a whole.
  'NHS Trusts (Leicestershire Partnership Trust (LPT));': ['nhs'],
  // 002 Political governance: councils other than the city council, like "other councils".
  'other local councils - for joint events': ['councils'],
};

export interface LineEntry {
  text: string;
  code?: string;
  aliases?: string[];
  condition?: string;
  names?: string[];
  memberships?: Record<string, string[]>;
  services?: string[];
  councilServices?: string;
  namesImplicitly?: boolean;
  note?: string;
}
export type Line = string | LineEntry;

export interface NoticeFile {
  code: string;
  controller: string;
  kind: string;
  title: string;
  effectiveFrom: string;
  effectiveTo?: string;
  sources: { file: string; section: string }[];
  purposes?: Line[];
  lawfulBases?: { text: string; article6?: string[] }[];
  recipients?: Line[];
  dataCategories?: string[];
  retention?: { text: string; days?: number };
  notes?: { topic: string; text: string; source: { file: string; section: string } }[];
}

export interface ServiceEntry {
  id: string;
  name: string;
  aliases?: string[];
  enforcement?: boolean;
}

export interface RegisterFiles {
  /** Notice files by their path under notices/, without `.yaml` (e.g. `leicester-city-council/housing`). */
  notices: Record<string, NoticeFile>;
  recipients: {
    organisations: { id: string; name: string; aliases?: string[] }[];
    services?: Record<string, ServiceEntry[]>;
    categories?: { id: string; aliases?: string[] }[];
  };
  register: {
    controllers: { code: string; name: string; aliases?: string[] }[];
    exemptions: Record<string, { recipients: string[] | 'any'; source: string; text: string }>;
  };
}

export type SeedTexts = Record<string, string>;

export function readRegisterFiles(directory: string): RegisterFiles {
  const readYaml = <T>(file: string) => parse(readFileSync(path.join(directory, file), 'utf8')) as T;
  const notices: Record<string, NoticeFile> = {};
  for (const controller of readdirSync(path.join(directory, 'notices'))) {
    for (const file of readdirSync(path.join(directory, 'notices', controller))) {
      if (file.endsWith('.yaml')) {
        notices[`${controller}/${file.replace(/\.yaml$/, '')}`] = readYaml(
          path.join('notices', controller, file),
        );
      }
    }
  }
  return { notices, recipients: readYaml('recipients.yaml'), register: readYaml('register.yaml') };
}

/** The seed files, from ../shared/seeds beside the repository or SEEDS_DIR; a clear error when they are missing. */
export function readSeeds(): SeedTexts {
  const candidates = [path.resolve(process.cwd(), '../shared/seeds'), process.env.SEEDS_DIR].filter(
    (candidate): candidate is string => candidate !== undefined && candidate !== '',
  );
  const found = candidates.find((candidate) => existsSync(path.join(candidate, SEED_FILES.serviceAreas)));
  if (found === undefined) {
    throw new Error(
      `The source notices are missing (looked for ${SEED_FILES.serviceAreas} in ${candidates.join(' and ')}). ` +
        'The register can only be checked against them: run from the repository root next to ../shared, ' +
        'or set SEEDS_DIR to the folder that holds the seed files.',
    );
  }
  return Object.fromEntries(
    Object.values(SEED_FILES).map((file) => [file, readFileSync(path.join(found, file), 'utf8')]),
  );
}

function memoise<T>(compute: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      value = compute(text);
      cache.set(text, value);
    }
    return value;
  };
}

// The mutation test runs the comparison thousands of times over the same wordings, so the text functions remember.
export const collapse = memoise((text: string) => text.replace(/\s+/g, ' ').trim());
export const entryOf = (line: Line): LineEntry => (typeof line === 'string' ? { text: line } : line);
const textOf = (line: Line) => collapse(entryOf(line).text);
/** Spec section 4's comparison key. */
const wordingKey = memoise((text: string) =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/forexample$/, ''),
);
const headOf = memoise((text: string) => {
  let end = text.length;
  for (const separator of [' - ', ' – ', ':', ' (']) {
    const at = text.indexOf(separator);
    if (at > 0 && at < end) end = at;
  }
  return text.slice(0, end).trim();
});
const kebab = memoise((text: string) =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, ''),
);
/** Words separated by single spaces, apostrophes dropped: for finding a name inside a line at word boundaries. */
const words = memoise(
  (text: string) =>
    ` ${text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/['’]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()} `,
);
const sorted = (items: Iterable<string>) => [...new Set(items)].sort();
const same = (a: Iterable<string>, b: Iterable<string>) => sorted(a).join('|') === sorted(b).join('|');

/** The bullets ("- " or "•") that follow the first line matching `marker`, up to the next line of prose. */
export function bulletsAfter(text: string, marker: RegExp): string[] {
  const lines = text.split('\n').map(collapse);
  const start = lines.findIndex((line) => marker.test(line));
  if (start < 0) throw new Error(`"${marker.source}" is not in the seed`);
  const bullets: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === '') continue;
    if (/^[-•] /.test(line)) bullets.push(collapse(line.slice(2)));
    else if (bullets.length > 0) break;
  }
  return bullets;
}

export interface ServiceAreaSection {
  heading: string;
  purposes: string[];
  lawfulBases: string[];
  recipients: string[];
}

/**
 * 002 prints each service area as its heading, then "The reasons we use your data:", "Why we're allowed to use
 * your data" and "Who we can share your data with:", each followed by "•" bullets. The basis part also has
 * unbulleted lines that introduce legislation ("Legal obligation or public task ...:", "These areas of law ...:")
 * and, in Public Health, paragraphs about opting out, which are not bases.
 */
export function parseServiceAreas(text: string): ServiceAreaSection[] {
  const lines = text.split('\n').map(collapse);
  const sections: ServiceAreaSection[] = [];
  let part: 'purposes' | 'lawfulBases' | 'recipients' | undefined;
  lines.forEach((line, index) => {
    if (line === '') return;
    if (/^The reasons we use your data:?$/.test(line)) {
      const heading =
        lines
          .slice(0, index)
          .reverse()
          .find((previous) => previous !== '') ?? '';
      sections.push({ heading, purposes: [], lawfulBases: [], recipients: [] });
      part = 'purposes';
      return;
    }
    const section = sections[sections.length - 1];
    if (section === undefined || part === undefined) return;
    if (/^Why we're allowed to use your data:?$/.test(line)) part = 'lawfulBases';
    else if (/^Who we can share your data with:?$/.test(line)) part = 'recipients';
    else if (line.startsWith('•')) section[part].push(collapse(line.slice(1)));
    else if (part === 'lawfulBases' && /^(Legal obligation or public task|These areas of law)/.test(line)) {
      section.lawfulBases.push(line.replace(/:$/, ''));
    }
  });
  return sections;
}

/** The condition a line's own words create (spec section 6): only "with consent" and "pseudonymised or anonymised". */
export const conditionOfWording = memoise((text: string): string | undefined => {
  if (/\bwith consent\b/i.test(text)) return 'consent';
  if (
    /\bpseudonymised or anonymised\b/i.test(text) &&
    !/where possible|usually|most of the time|try/i.test(text)
  ) {
    return 'pseudonymised';
  }
  return undefined;
});

const BASIS_WORDS: [RegExp, string][] = [
  [/^legal obligations?/, 'legal-obligation'],
  [/^public task/, 'public-task'],
  [/^consent(?![-\w])/, 'consent'],
  [/^contract(?![-\w])/, 'contract'],
  [/^legitimate interests?/, 'legitimate-interests'],
  [/^vital interests?/, 'vital-interests'],
];

/**
 * The Art 6 bases a basis line names (spec section 6): a line that starts with a basis, possibly joined by "or"
 * ("Legal obligation or public task under ..."), whatever qualifier follows ("consent – consultations"). Legislation
 * and lines that only describe ("some consent-based research", "consultations") name none.
 */
export const basesOfWording = memoise((text: string): string[] => {
  let rest = text.trim().toLowerCase();
  const bases: string[] = [];
  for (;;) {
    const match = BASIS_WORDS.find(([pattern]) => pattern.test(rest));
    if (match === undefined) break;
    bases.push(match[1]);
    rest = rest.replace(match[0], '').trim();
    if (!rest.startsWith('or ')) break;
    rest = rest.slice(3);
  }
  return sorted(bases);
});

/** What the seeds say, prepared once. */
export class SourceReading {
  readonly serviceAreas: ServiceAreaSection[];
  private readonly collapsedSeeds = new Map<string, string>();
  private readonly bulletlessSeeds = new Map<string, string>();
  private readonly dictionaries = new WeakMap<object, Map<string, Dictionary>>();
  private readonly noticeProblems = new WeakMap<object, WeakMap<Dictionary, string[]>>();

  remembered(notice: object, dictionary: Dictionary): string[] | undefined {
    return this.noticeProblems.get(notice)?.get(dictionary);
  }

  remember(notice: object, dictionary: Dictionary, problems: string[]): void {
    let byDictionary = this.noticeProblems.get(notice);
    if (byDictionary === undefined) {
      byDictionary = new WeakMap();
      this.noticeProblems.set(notice, byDictionary);
    }
    byDictionary.set(dictionary, problems);
  }

  constructor(readonly seeds: SeedTexts) {
    this.serviceAreas = parseServiceAreas(seeds[SEED_FILES.serviceAreas]);
  }

  collapsedSeed(file: string): string {
    let text = this.collapsedSeeds.get(file);
    if (text === undefined) {
      text = collapse(this.seeds[file] ?? '');
      this.collapsedSeeds.set(file, text);
    }
    return text;
  }

  /** The seed with bullets and line breaks as plain spaces, to find a passage quoted with its bullets. */
  bulletlessSeed(file: string): string {
    let text = this.bulletlessSeeds.get(file);
    if (text === undefined) {
      text = collapse((this.seeds[file] ?? '').replace(/•/g, ' '));
      this.bulletlessSeeds.set(file, text);
    }
    return text;
  }

  private readonly bullets = new Map<string, string[]>();

  /** bulletsAfter, remembered. */
  bulletsOf(file: string, marker: RegExp): string[] {
    const key = `${file}\u0000${marker.source}`;
    let bullets = this.bullets.get(key);
    if (bullets === undefined) {
      bullets = bulletsAfter(this.seeds[file] ?? '', marker);
      this.bullets.set(key, bullets);
    }
    return bullets;
  }

  /** Whether any seed prints a wording, at word boundaries. */
  readonly printsAnywhere = memoise((wording: string): boolean =>
    Object.values(SEED_FILES).some((seed) => words(this.seeds[seed] ?? '').includes(words(wording))),
  );

  /**
   * The wordings the register gives organisations, services and categories, and the function that finds them in a
   * line; remembered across comparisons for as long as recipients.yaml and the lines' heads stay the same.
   */
  dictionaryFor(files: RegisterFiles): Dictionary {
    const heads = Object.values(files.notices)
      .flatMap((notice) =>
        (notice.recipients ?? []).map((line) => `${notice.controller}/${headOf(entryOf(line).text)}`),
      )
      .join('|');
    let byHeads = this.dictionaries.get(files.recipients);
    if (byHeads === undefined) {
      byHeads = new Map();
      this.dictionaries.set(files.recipients, byHeads);
    }
    let dictionary = byHeads.get(heads);
    if (dictionary === undefined) {
      dictionary = buildDictionary(files);
      byHeads.set(heads, dictionary);
    }
    return dictionary;
  }
}

interface Dictionary {
  organisationByKey: Map<string, string>;
  serviceWords: Map<string, string[]>;
  /** The organisations and categories a line's words name. */
  namedBy(text: string): string[];
}

function buildDictionary(files: RegisterFiles): Dictionary {
  const organisations = files.recipients.organisations;
  const services = files.recipients.services ?? {};
  // Wordings of organisations and of categories (the heads of lines that are neither organisations nor services).
  const organisationWordings: { id: string; wording: string }[] = organisations.flatMap((organisation) =>
    [organisation.name, ...(organisation.aliases ?? [])].map((wording) => ({
      id: organisation.id,
      wording: words(wording),
    })),
  );
  const organisationByKey = new Map(
    organisations.flatMap((organisation) =>
      [organisation.name, ...(organisation.aliases ?? [])].map(
        (wording) => [wordingKey(wording), organisation.id] as const,
      ),
    ),
  );
  const serviceByKey = new Map<string, string>();
  const serviceWords = new Map<string, string[]>();
  for (const [controller, list] of Object.entries(services)) {
    for (const service of list) {
      for (const wording of [service.id, service.name, ...(service.aliases ?? [])]) {
        serviceByKey.set(`${controller}/${wordingKey(wording)}`, service.id);
      }
      serviceWords.set(`${controller}/${service.id}`, [service.name, ...(service.aliases ?? [])].map(words));
    }
  }
  const categoryWordings = new Map<string, string>();
  for (const notice of Object.values(files.notices)) {
    for (const line of (notice.recipients ?? []).map(entryOf)) {
      const head = headOf(collapse(line.text));
      if (
        organisationByKey.has(wordingKey(head)) ||
        serviceByKey.has(`${notice.controller}/${wordingKey(head)}`)
      )
        continue;
      if (generalCouncilScope(line.text) === 'all') continue;
      categoryWordings.set(words(head), kebab(head));
    }
  }
  const nameables = [
    ...organisationWordings,
    ...[...categoryWordings].map(([wording, id]) => ({ id, wording })),
  ].sort((a, b) => b.wording.length - a.wording.length);

  /**
   * Longest wording first so that "NHS Digital" is not "NHS"; the category that the line's own head creates is the
   * line itself, not a name in it.
   */
  const namedBy = memoise((text: string): string[] => {
    const head = headOf(text);
    const ownHead = organisationByKey.get(wordingKey(head)) === undefined ? kebab(head) : undefined;
    let remaining = words(text);
    const found = new Set<string>();
    // "other councils" names councils other than the controller: not the kind of body "councils" as such.
    for (const { wording } of nameables) remaining = remaining.split(` other${wording}`).join(' # ');
    for (const { id, wording } of nameables) {
      if (id === ownHead || !remaining.includes(wording)) continue;
      found.add(id);
      remaining = remaining.split(wording).join(' # ');
    }
    if (ownHead !== undefined) found.delete(ownHead);
    for (const implicit of NAMED_WITHOUT_THEIR_WORDING[text] ?? []) found.add(implicit);
    for (const unnamed of WORDING_THAT_NAMES_NOTHING[text] ?? []) found.delete(unnamed);
    return sorted(found);
  });
  return { organisationByKey, serviceWords, namedBy };
}

/** Every difference between the register and what the sources say; empty when the register follows them. */
export function compareWithSources(files: RegisterFiles, reading: SourceReading): string[] {
  const problems: string[] = [];
  const problem = (where: string, what: string) => problems.push(`${where}: ${what}`);
  const notices = Object.entries(files.notices);
  const organisationIds = new Set(files.recipients.organisations.map((organisation) => organisation.id));
  const services = files.recipients.services ?? {};
  const dictionary = reading.dictionaryFor(files);
  const { serviceWords, namedBy } = dictionary;
  /** A notice's own checks; an unchanged notice object (as in the mutation test) reuses its earlier result. */
  const perNotice = (notice: NoticeFile, check: () => void) => {
    const cached = reading.remembered(notice, dictionary);
    if (cached !== undefined) {
      problems.push(...cached);
      return;
    }
    const before = problems.length;
    check();
    reading.remember(notice, dictionary, problems.slice(before));
  };
  const checkLine = (
    where: string,
    line: LineEntry,
    kind: 'purpose' | 'recipient',
    expectedCondition?: string,
  ) => {
    const text = collapse(line.text);
    const condition = expectedCondition ?? conditionOfWording(text);
    if (line.condition !== condition) {
      problem(
        where,
        `${kind} "${text}": condition ${line.condition ?? 'none'}, but the notice's words give ${condition ?? 'none'}`,
      );
    }
  };

  const checkRecipientLine = (where: string, controller: string, line: LineEntry) => {
    const text = collapse(line.text);
    checkLine(where, line, 'recipient');
    const named = namedBy(text);
    const names = sorted(line.names ?? []);
    // The register's `names` hold the organisations and categories inside the line; the head's own category is not one.
    if (!same(names, named)) {
      problem(
        where,
        `recipient "${text}" names [${names.join(', ')}], but its words name [${named.join(', ')}]`,
      );
    }
    const scope = generalCouncilScope(text);
    if (line.councilServices !== scope) {
      problem(
        where,
        `recipient "${text}": councilServices ${line.councilServices ?? 'none'}, but its words name ${scope === undefined ? 'no council services in general' : `the council's ${scope} services`}`,
      );
    }
    for (const service of line.services ?? []) {
      const known = serviceWords.get(`${controller}/${service}`);
      if (known === undefined || !known.some((wording) => words(text).includes(wording))) {
        problem(where, `recipient "${text}" names the service ${service}, which its words do not name`);
      }
    }
    for (const [category, members] of Object.entries(line.memberships ?? {})) {
      if (!words(text).includes(words(category.replace(/-/g, ' ')))) {
        problem(where, `recipient "${text}": memberships of ${category}, which its words do not name`);
      }
      for (const member of members) {
        if (!named.includes(member))
          problem(where, `recipient "${text}": ${member} in memberships is not named by it`);
      }
    }
  };

  const checkBases = (where: string, bases: NoticeFile['lawfulBases']) => {
    for (const line of bases ?? []) {
      const expected = basesOfWording(collapse(line.text));
      const actual = sorted(line.article6 ?? []);
      if (!same(actual, expected)) {
        problem(
          where,
          `basis line "${collapse(line.text)}" gives [${actual.join(', ')}], but its words give [${expected.join(', ')}]`,
        );
      }
    }
  };

  // Service areas of Leicester City Council (002).
  const cityServiceAreas = notices.filter(
    ([, notice]) => notice.controller === CITY && notice.kind === 'service-area',
  );
  if (
    !same(
      cityServiceAreas.map(([, notice]) => notice.code),
      SERVICE_AREA_CODES,
    )
  ) {
    problem('notices', `Leicester City Council's service areas are not the 18 of spec section 4`);
  }
  if (
    !same(
      cityServiceAreas.map(([, notice]) => notice.title),
      reading.serviceAreas.map((section) => section.heading),
    )
  ) {
    problem('notices', `service-area titles differ from 002's headings`);
  }
  for (const [file, notice] of cityServiceAreas) {
    perNotice(notice, () => {
      const section = reading.serviceAreas.find((candidate) => candidate.heading === notice.title);
      if (section === undefined) {
        problem(file, `no section of 002 is headed "${notice.title}"`);
        return;
      }
      if (notice.effectiveFrom !== '2018-05-25')
        problem(file, `in force from ${notice.effectiveFrom}, not 2018-05-25`);
      if (
        !notice.sources.some(
          (source) => source.file === SEED_FILES.serviceAreas && source.section === notice.title,
        )
      ) {
        problem(file, 'does not cite its section of 002');
      }
      compareTexts(problem, file, 'purposes', (notice.purposes ?? []).map(textOf), section.purposes);
      compareTexts(
        problem,
        file,
        'lawfulBases',
        (notice.lawfulBases ?? []).map((line) => collapse(line.text)),
        section.lawfulBases,
      );
      compareTexts(problem, file, 'recipients', (notice.recipients ?? []).map(textOf), section.recipients);
      for (const line of (notice.purposes ?? []).map(entryOf)) checkLine(file, line, 'purpose');
      for (const line of (notice.recipients ?? []).map(entryOf))
        checkRecipientLine(file, notice.controller, line);
      checkBases(file, notice.lawfulBases);
      if (notice.dataCategories !== undefined) problem(file, '002 lists no data categories');
    });
  }

  // Children's Social Care of Leicestershire County Council (004).
  const county = files.notices[`${COUNTY}/children-social-care`];
  if (county === undefined) {
    problem('notices', `${COUNTY}/children-social-care is missing`);
  } else
    perNotice(county, () => {
      const file = `${COUNTY}/children-social-care`;
      const seed = SEED_FILES.childrenSocialCare;
      const purposes = reading.bulletsOf(seed, /Why do we need this\?/);
      const secondaryUses = reading.bulletsOf(seed, /^For all other uses of your personal information/);
      const legislation = reading.bulletsOf(seed, /Why are we allowed to process your information\?/);
      const recipients = reading.bulletsOf(seed, /^We share your information with organisations such as/);
      compareTexts(problem, file, 'purposes', (county.purposes ?? []).map(textOf), [
        ...purposes,
        'direct care',
        ...secondaryUses,
      ]);
      for (const line of (county.purposes ?? []).map(entryOf)) {
        // "For all other uses ... we will either directly ask for your consent or use data that does not directly identify you".
        const secondary = secondaryUses.includes(collapse(line.text));
        checkLine(
          file,
          line,
          'purpose',
          secondary ? 'consent-or-deidentified' : conditionOfWording(line.text),
        );
      }
      const [introduction, ...rest] = county.lawfulBases ?? [];
      compareTexts(
        problem,
        file,
        'legislation',
        rest.map((line) => collapse(line.text)),
        legislation,
      );
      if (introduction === undefined || !/^legal obligation or public task/i.test(introduction.text)) {
        problem(file, 'the first basis line is not "legal obligation or public task ..."');
      }
      checkBases(file, county.lawfulBases);
      compareTexts(problem, file, 'recipients', (county.recipients ?? []).map(textOf), recipients);
      for (const line of (county.recipients ?? []).map(entryOf)) checkRecipientLine(file, COUNTY, line);
      if (
        !same(county.dataCategories ?? [], ['identity', 'contact', 'date-of-birth', 'care-records', 'health'])
      ) {
        problem(
          file,
          `data categories [${(county.dataCategories ?? []).join(', ')}] are not what 004 collects`,
        );
      }
    });

  // Council-wide notices of Leicester City Council (000, 001, 003): spec section 6's table and section 7's dates.
  const councilWide = notices.filter(
    ([, notice]) => notice.controller === CITY && notice.kind === 'council-wide',
  );
  if (
    !same(
      councilWide.map(([, notice]) => notice.code),
      Object.keys(COUNCIL_WIDE),
    )
  ) {
    problem('notices', 'the council-wide notices are not those of spec section 6');
  }
  for (const [file, notice] of councilWide) {
    const expected = COUNCIL_WIDE[notice.code];
    if (expected !== undefined)
      perNotice(notice, () => {
        const purposeCodes = (notice.purposes ?? []).map((line) => entryOf(line).code ?? '');
        if (!same(purposeCodes, expected.purposes)) problem(file, `purposes [${purposeCodes.join(', ')}]`);
        compareBasisLines(problem, file, notice.lawfulBases, expected.basisLines);
        if (!same(notice.dataCategories ?? [], expected.dataCategories ?? []))
          problem(file, 'data categories differ from spec section 6');
        if (notice.effectiveFrom !== expected.effectiveFrom || notice.effectiveTo !== undefined) {
          problem(
            file,
            `in force from ${notice.effectiveFrom}${notice.effectiveTo ? ` to ${notice.effectiveTo}` : ''}, not from ${expected.effectiveFrom}`,
          );
        }
        const sourceTexts = notice.sources.map((source) => reading.collapsedSeed(source.file));
        for (const [index, source] of notice.sources.entries()) {
          if (!sourceTexts[index].includes(source.section))
            problem(file, `cites a section "${source.section}" that ${source.file} does not have`);
        }
        const printedIn = (wording: string) => sourceTexts.some((text) => text.includes(wording));
        for (const line of notice.lawfulBases ?? []) {
          if (!printedIn(collapse(line.text)))
            problem(file, `basis line "${collapse(line.text)}" is not quoted from its sources`);
        }
        if (notice.retention && !printedIn(notice.retention.text))
          problem(file, 'retention is not quoted from its sources');
        const lines = (notice.recipients ?? []).map(entryOf);
        compareTexts(
          problem,
          file,
          'recipients',
          lines.map((line) => collapse(line.text)),
          expected.recipients.map((line) => line.text),
        );
        for (const [index, wanted] of expected.recipients.entries()) {
          if (!printedIn(wanted.printed ?? wanted.text))
            problem(file, `the seed sections it cites do not print "${wanted.printed ?? wanted.text}"`);
          const line = lines[index];
          if (line === undefined) continue;
          if (!same(line.names ?? [], wanted.names) || line.councilServices !== wanted.councilServices) {
            problem(
              file,
              `recipient "${line.text}" names [${(line.names ?? []).join(', ')}]${line.councilServices ? ` and the council's ${line.councilServices} services` : ''}, but the notice names [${wanted.names.join(', ')}]${wanted.councilServices ? ` and the council's ${wanted.councilServices} services` : ''}`,
            );
          }
          checkLine(file, line, 'recipient');
        }
        for (const line of (notice.purposes ?? []).map(entryOf)) checkLine(file, line, 'purpose');
      });
  }

  // Reference notices: the general notice's two editions and the COPI notice.
  const usingYourData = /^We will use the information you provide for the following purposes/;
  const referenceSources: Record<string, [string, RegExp, number]> = {
    'how-we-use-information': [SEED_FILES.generalNotice2018, usingYourData, 5],
    'how-we-use-information@2018-05-25': [SEED_FILES.generalNotice2021, usingYourData, 6],
    'covid-19-copi': [SEED_FILES.councilWide, /given notice under Regulation 3\(4\)/, 6],
  };
  for (const [name, [seed, marker, count]] of Object.entries(referenceSources)) {
    const notice = files.notices[`${CITY}/${name}`];
    if (notice === undefined) {
      problem('notices', `${CITY}/${name} is missing`);
      continue;
    }
    perNotice(notice, () => {
      const bullets = reading.bulletsOf(seed, marker);
      if (bullets.length !== count) problem(name, `expected ${count} bullets in ${seed}`);
      compareTexts(problem, name, 'purposes', (notice.purposes ?? []).map(textOf), bullets);
      const expected = REFERENCE_NOTICES[name];
      if (notice.effectiveFrom !== expected.effectiveFrom || notice.effectiveTo !== expected.effectiveTo) {
        problem(
          name,
          `in force ${notice.effectiveFrom} to ${notice.effectiveTo ?? 'no end'}, not ${expected.effectiveFrom} to ${expected.effectiveTo ?? 'no end'}`,
        );
      }
      if (notice.kind !== 'reference') problem(name, 'is applied by the checker, but is a reference notice');
      compareBasisLines(problem, name, notice.lawfulBases, expected.basisLines);
      for (const line of (notice.purposes ?? []).map(entryOf)) checkLine(name, line, 'purpose');
      if ((notice.recipients ?? []).length > 0) problem(name, 'a reference notice shares with no one');
    });
  }

  // Notes: verbatim passages of the seeds they cite.
  for (const [file, notice] of notices) {
    // Keyed by the notes list: a notice's own checks above are cached under the notice itself.
    if (notice.notes !== undefined)
      perNotice(notice.notes as unknown as NoticeFile, () => {
        for (const note of notice.notes ?? []) {
          const seed = reading.bulletlessSeed(note.source.file);
          if (!seed.includes(collapse(note.text.replace(/•/g, ' '))))
            problem(file, `note "${note.topic}" is not quoted from ${note.source.file}`);
          if (!reading.collapsedSeed(note.source.file).includes(note.source.section)) {
            problem(file, `note "${note.topic}" cites a section ${note.source.file} does not have`);
          }
        }
      });
  }

  // The councils' own services: each service area, and the services that the notices name, with enforcement only
  // where the CCTV line's words name the service.
  const cityServices = services[CITY] ?? [];
  for (const code of SERVICE_AREA_CODES) {
    const notice = files.notices[`${CITY}/${code}`];
    const service = cityServices.find((candidate) => candidate.id === code);
    if (service === undefined || (notice !== undefined && service.name !== notice.title)) {
      problem('recipients.yaml', `services: the service area ${code} is not listed under its heading`);
    }
  }
  const enforcementLine = collapse(
    entryOf(
      (files.notices[`${CITY}/cctv`]?.recipients ?? []).find(
        (line) => generalCouncilScope(entryOf(line).text) === 'enforcement',
      ) ?? '',
    ).text,
  );
  for (const [controller, list] of Object.entries(services)) {
    for (const service of list) {
      if (!reading.printsAnywhere(service.name))
        problem('recipients.yaml', `services: "${service.name}" is named by no notice`);
      const named = controller === CITY && words(enforcementLine).includes(words(service.name));
      if ((service.enforcement === true) !== named) {
        problem(
          'recipients.yaml',
          `services: ${service.id} enforcement ${service.enforcement === true}, but the CCTV line ${named ? 'names' : 'does not name'} it`,
        );
      }
    }
  }
  for (const required of [
    'childrens-social-care',
    'adult-social-care',
    'trading-standards',
    'environmental-health',
    'empty-homes',
  ]) {
    if (!cityServices.some((service) => service.id === required))
      problem('recipients.yaml', `services: ${required} is missing (spec section 7)`);
  }

  // Organisations: each is named by some line, an exemption or is a controller.
  const named = new Set<string>();
  for (const [, notice] of notices) {
    for (const line of (notice.recipients ?? []).map(entryOf))
      for (const id of line.names ?? []) named.add(id);
  }
  for (const exemption of Object.values(files.register.exemptions)) {
    if (exemption.recipients !== 'any') for (const id of exemption.recipients) named.add(id);
  }
  for (const id of organisationIds)
    if (!named.has(id)) problem('recipients.yaml', `organisation ${id} is named by no line`);
  for (const [name, exemption] of Object.entries(files.register.exemptions)) {
    if (!reading.collapsedSeed(exemption.source).includes(exemption.text))
      problem('register.yaml', `exemption ${name} is not quoted from ${exemption.source}`);
  }
  return problems;
}

/** How a line's words name the council's own services in general, if they do. */
export function generalCouncilScope(text: string): 'all' | 'enforcement' | undefined {
  if (/\binternal council departments\b|\bservices within the council\b/i.test(text)) return 'all';
  if (/\binternal\/external enforcement agencies\b/i.test(text)) return 'enforcement';
  return undefined;
}

function compareTexts(
  problem: (where: string, what: string) => void,
  file: string,
  part: string,
  actual: string[],
  expected: string[],
): void {
  if (actual.length !== expected.length || actual.some((text, index) => text !== expected[index])) {
    const missing = expected.filter((text) => !actual.includes(text));
    const extra = actual.filter((text) => !expected.includes(text));
    problem(
      file,
      `${part} are not the seed's, verbatim and in order (missing: ${JSON.stringify(missing)}; not in the seed: ${JSON.stringify(extra)})`,
    );
  }
}

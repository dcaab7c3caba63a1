/**
 * The register is a copy of the councils' published privacy notices. These tests read the source notices
 * (../shared/seeds) and the register's YAML directly, without the register loader, so that a wrong or missing
 * line is caught even when the loader would accept it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const REGISTER_DIR = path.resolve(process.cwd(), 'register');
const CITY = 'leicester-city-council';
const COUNTY = 'leicestershire-county-council';

const SEED_FILES = {
  councilWide: '000_25b572ba8a12ea38.txt',
  generalNotice2018: '001_699988db41a48b06.txt',
  serviceAreas: '002_3b9c8d17dc1330c8.txt',
  generalNotice2021: '003_8b15156f99e16b26.txt',
  childrenSocialCare: '004_4121a5cfce4eac32.txt',
} as const;

/** Spec section 4. */
const SERVICE_AREA_CODES = [
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

/** Spec section 6's table of council-wide notices. */
const COUNCIL_WIDE: Record<string, { purposes: string[]; article6: string[]; dataCategories?: string[] }> = {
  'national-fraud-initiative': { purposes: ['national-fraud-initiative'], article6: ['legal-obligation'] },
  'test-and-trace': {
    purposes: ['test-and-trace'],
    article6: ['legal-obligation', 'public-task'],
    dataCategories: ['contact', 'identity'],
  },
  'test-and-trace-support-payment': {
    purposes: ['test-and-trace-support-payment'],
    article6: ['public-task'],
  },
  'covid-vulnerable-groups': { purposes: ['covid-vulnerable-groups'], article6: ['public-task'] },
  'statutory-returns': { purposes: ['statutory-returns'], article6: ['legal-obligation'] },
  'joined-up-services': {
    purposes: ['joined-up-services'],
    article6: ['public-task'],
    dataCategories: ['contact', 'identity'],
  },
  'health-and-social-care': {
    purposes: ['direct-care', 'nhs-number'],
    article6: ['legal-obligation', 'public-task', 'vital-interests'],
  },
  'cp-is': { purposes: ['cp-is'], article6: ['public-task'] },
};

interface LineEntry {
  text: string;
  code?: string;
  aliases?: string[];
  condition?: string;
  names?: string[];
  namesImplicitly?: boolean;
  note?: string;
  councilServices?: boolean;
}
type Line = string | LineEntry;

interface NoticeFile {
  code: string;
  controller: string;
  kind: string;
  title: string;
  sources: { file: string; section: string }[];
  purposes?: Line[];
  lawfulBases?: { text: string; article6?: string[] }[];
  recipients?: Line[];
  dataCategories?: string[];
  retention?: { text: string; days?: number };
}

interface RecipientsFile {
  organisations: { id: string; name: string; aliases?: string[] }[];
  categories?: { id: string; aliases?: string[] }[];
}

interface RegisterFile {
  exemptions: Record<string, { recipients: string[] | 'any'; source: string; text: string }>;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const entryOf = (line: Line): LineEntry => (typeof line === 'string' ? { text: line } : line);
const textOf = (line: Line) => collapse(entryOf(line).text);
/** Spec section 4's comparison key. */
const wordingKey = (text: string) =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/forexample$/, '');
const headOf = (text: string) => {
  let end = text.length;
  for (const separator of [' - ', ' – ', ':', ' (']) {
    const at = text.indexOf(separator);
    if (at > 0 && at < end) end = at;
  }
  return text.slice(0, end).trim();
};
const kebab = (text: string) =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

function seedsDirectory(): string {
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
  return found;
}

function readSeed(file: string): string {
  return readFileSync(path.join(seedsDirectory(), file), 'utf8');
}

function readYaml<T>(file: string): T {
  return parse(readFileSync(path.join(REGISTER_DIR, file), 'utf8')) as T;
}

function readNotices(): NoticeFile[] {
  const noticesDir = path.join(REGISTER_DIR, 'notices');
  return readdirSync(noticesDir).flatMap((controller) =>
    readdirSync(path.join(noticesDir, controller))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => readYaml<NoticeFile>(path.join('notices', controller, file))),
  );
}

function readNotice(controller: string, file: string): NoticeFile {
  return readYaml<NoticeFile>(path.join('notices', controller, `${file}.yaml`));
}

/** The bullets ("- " or "•") that follow the first line matching `marker`, up to the next line of prose. */
function bulletsAfter(text: string, marker: RegExp): string[] {
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

interface ServiceAreaSection {
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
function parseServiceAreas(text: string): ServiceAreaSection[] {
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

describe('register against the source notices', () => {
  describe('service areas of Leicester City Council (002)', () => {
    it('has one service-area notice for each of the 18 sections of 002, titled with its heading', () => {
      const sections = parseServiceAreas(readSeed(SEED_FILES.serviceAreas));
      const serviceAreaNotices = readNotices().filter(
        (notice) => notice.controller === CITY && notice.kind === 'service-area',
      );

      expect(sections).toHaveLength(18);
      expect(serviceAreaNotices.map((notice) => notice.code).sort()).toEqual([...SERVICE_AREA_CODES].sort());
      expect(serviceAreaNotices.map((notice) => notice.title).sort()).toEqual(
        sections.map((section) => section.heading).sort(),
      );
    });

    it.each(SERVICE_AREA_CODES)(
      '%s holds every purpose, basis and recipient line of its section, verbatim and in order',
      (code) => {
        const notice = readNotice(CITY, code);
        const section = parseServiceAreas(readSeed(SEED_FILES.serviceAreas)).find(
          (candidate) => candidate.heading === notice.title,
        );

        expect(section).toBeDefined();
        expect(section!.purposes.length).toBeGreaterThan(0);
        expect(section!.recipients.length).toBeGreaterThan(0);
        expect(notice.sources).toContainEqual({ file: SEED_FILES.serviceAreas, section: notice.title });
        expect((notice.purposes ?? []).map(textOf)).toEqual(section!.purposes);
        expect((notice.lawfulBases ?? []).map(textOf)).toEqual(section!.lawfulBases);
        expect((notice.recipients ?? []).map(textOf)).toEqual(section!.recipients);
      },
    );

    it('gives the Art 6 bases "legal obligation or public task" names, and no basis to legislation', () => {
      for (const code of SERVICE_AREA_CODES) {
        const [introduction, ...rest] = readNotice(CITY, code).lawfulBases ?? [];

        expect(introduction.article6).toEqual(['legal-obligation', 'public-task']);
        for (const line of rest) {
          if (/\b(Act|Regulations?|Order)\b/.test(line.text)) expect(line.article6 ?? []).toEqual([]);
        }
      }
    });
  });

  describe("Children's Social Care of Leicestershire County Council (004)", () => {
    const readSections = () => {
      const text = readSeed(SEED_FILES.childrenSocialCare);
      return {
        purposes: bulletsAfter(text, /Why do we need this\?/),
        secondaryUses: bulletsAfter(text, /^For all other uses of your personal information/),
        legislation: bulletsAfter(text, /Why are we allowed to process your information\?/),
        recipients: bulletsAfter(text, /^We share your information with organisations such as/),
      };
    };

    it('holds every purpose bullet, then direct care, then every secondary use under the consent condition', () => {
      const seed = readSections();
      const purposes = (readNotice(COUNTY, 'children-social-care').purposes ?? []).map(entryOf);

      expect(seed.purposes).toHaveLength(16);
      expect(seed.secondaryUses).toHaveLength(16);
      expect(purposes.map((purpose) => collapse(purpose.text))).toEqual([
        ...seed.purposes,
        'direct care',
        ...seed.secondaryUses,
      ]);
      const conditionOf = (text: string) => purposes.find((purpose) => purpose.text === text)?.condition;
      for (const text of [...seed.purposes, 'direct care']) expect(conditionOf(text)).toBeUndefined();
      for (const text of seed.secondaryUses) expect(conditionOf(text)).toBe('consent-or-deidentified');
    });

    it('holds every recipient bullet and every piece of legislation, verbatim and in order', () => {
      const seed = readSections();
      const notice = readNotice(COUNTY, 'children-social-care');
      const [introduction, ...legislation] = notice.lawfulBases ?? [];

      expect(seed.recipients).toHaveLength(30);
      expect((notice.recipients ?? []).map(textOf)).toEqual(seed.recipients);
      expect(introduction.article6).toEqual(['legal-obligation', 'public-task']);
      expect(legislation.map(textOf)).toEqual(seed.legislation);
      expect(notice.dataCategories).toEqual([
        'identity',
        'contact',
        'date-of-birth',
        'care-records',
        'health',
      ]);
    });
  });

  describe('council-wide notices of Leicester City Council (000, 001, 003)', () => {
    const councilWide = () =>
      readNotices().filter((notice) => notice.controller === CITY && notice.kind === 'council-wide');

    it('are exactly the notices of spec section 6, with its purpose codes, Art 6 bases and data categories', () => {
      const notices = councilWide();

      expect(notices.map((notice) => notice.code).sort()).toEqual(Object.keys(COUNCIL_WIDE).sort());
      for (const notice of notices) {
        const expected = COUNCIL_WIDE[notice.code];
        const purposeCodes = (notice.purposes ?? []).map((purpose) => entryOf(purpose).code);
        const bases = new Set((notice.lawfulBases ?? []).flatMap((line) => line.article6 ?? []));

        expect({ code: notice.code, purposes: purposeCodes }).toEqual({
          code: notice.code,
          purposes: expected.purposes,
        });
        expect({ code: notice.code, article6: [...bases].sort() }).toEqual({
          code: notice.code,
          article6: expected.article6,
        });
        expect({ code: notice.code, dataCategories: notice.dataCategories?.slice().sort() }).toEqual({
          code: notice.code,
          dataCategories: expected.dataCategories,
        });
      }
    });

    it('quote their bases and retention verbatim from the seed sections they cite', () => {
      for (const notice of councilWide()) {
        const sources = notice.sources.map((source) => ({
          ...source,
          text: collapse(readSeed(source.file)),
        }));

        expect(sources.length).toBeGreaterThan(0);
        for (const source of sources) expect(source.text).toContain(source.section);
        for (const line of notice.lawfulBases ?? []) {
          expect(sources.some((source) => source.text.includes(collapse(line.text)))).toBe(true);
        }
        if (notice.retention) {
          expect(sources.some((source) => source.text.includes(notice.retention!.text))).toBe(true);
        }
      }
    });

    it('keep Test and Trace contact details for the 21 days that 000 states', () => {
      const notice = readNotice(CITY, 'test-and-trace');

      expect(notice.retention?.days).toBe(21);
      expect(collapse(readSeed(SEED_FILES.councilWide))).toContain(notice.retention?.text);
    });
  });

  describe('reference notices', () => {
    const usingYourData = /^We will use the information you provide for the following purposes/;

    it.each([
      ['how-we-use-information', SEED_FILES.generalNotice2018, 5],
      ['how-we-use-information@2021-01-01', SEED_FILES.generalNotice2021, 6],
    ])('%s holds the purposes of "Using your personal data" in %s', (file, seed, count) => {
      const notice = readNotice(CITY, file);
      const bullets = bulletsAfter(readSeed(seed), usingYourData);

      expect(notice.kind).toBe('reference');
      expect(bullets).toHaveLength(count);
      expect((notice.purposes ?? []).map(textOf)).toEqual(bullets);
    });

    it('covid-19-copi holds the six purposes of the Regulation 3(4) notice in 000', () => {
      const notice = readNotice(CITY, 'covid-19-copi');
      const bullets = bulletsAfter(readSeed(SEED_FILES.councilWide), /given notice under Regulation 3\(4\)/);

      expect(notice.kind).toBe('reference');
      expect(bullets).toHaveLength(6);
      expect((notice.purposes ?? []).map(textOf)).toEqual(bullets);
    });
  });

  describe('recipients', () => {
    it('names, on each line, only organisations and categories whose wording the line contains', () => {
      const { organisations } = readYaml<RecipientsFile>('recipients.yaml');
      const organisationByKey = new Map<string, string>();
      for (const organisation of organisations) {
        for (const wording of [organisation.name, ...(organisation.aliases ?? [])]) {
          organisationByKey.set(wordingKey(wording), organisation.id);
        }
      }
      const lines = readNotices().flatMap((notice) => (notice.recipients ?? []).map(entryOf));
      const categories = new Set(
        lines
          .map((line) => headOf(line.text))
          .flatMap((head) => (organisationByKey.has(wordingKey(head)) ? [] : [kebab(head)])),
      );
      const unnamed: string[] = [];
      for (const line of lines) {
        for (const id of line.names ?? []) {
          const organisation = organisations.find((candidate) => candidate.id === id);
          const wordings = organisation ? [organisation.name, ...(organisation.aliases ?? [])] : [id];
          const known = organisation !== undefined || categories.has(id);
          const inText = wordings.some((wording) => wordingKey(line.text).includes(wordingKey(wording)));
          if (!known || (!inText && line.namesImplicitly !== true)) unnamed.push(`${id} in "${line.text}"`);
        }
        if (line.namesImplicitly === true) expect(line.note).toEqual(expect.any(String));
      }

      expect(unnamed).toEqual([]);
    });

    it('lists no organisation that no line names', () => {
      const { organisations } = readYaml<RecipientsFile>('recipients.yaml');
      const { exemptions } = readYaml<RegisterFile>('register.yaml');
      const named = new Set<string>();
      for (const line of readNotices().flatMap((notice) => (notice.recipients ?? []).map(entryOf))) {
        for (const id of line.names ?? []) named.add(id);
      }
      for (const exemption of Object.values(exemptions)) {
        if (exemption.recipients !== 'any') for (const id of exemption.recipients) named.add(id);
      }

      expect(organisations.map((organisation) => organisation.id).filter((id) => !named.has(id))).toEqual([]);
    });

    it('quotes each statutory-disclosure exemption verbatim from its source', () => {
      const { exemptions } = readYaml<RegisterFile>('register.yaml');

      expect(Object.keys(exemptions).sort()).toEqual([
        'crime-and-taxation',
        'immigration',
        'legal-proceedings',
      ]);
      for (const exemption of Object.values(exemptions)) {
        expect(collapse(readSeed(exemption.source))).toContain(exemption.text);
      }
    });
  });
});

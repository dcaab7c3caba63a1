import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  ARTICLE6_BASES,
  DATA_CATEGORIES,
  EXEMPTIONS,
  type Article6Basis,
  type DataCategory,
  type Exemption,
} from '#libs/contracts';
import { RegisterErrorCode, RegisterLoadException, type RegisterProblem } from './register.exception.js';
import {
  COUNCIL_SERVICE_SCOPES,
  LINE_CONDITIONS,
  NOTICE_KINDS,
  type AdequacyEntry,
  type BasisLine,
  type CouncilService,
  type CouncilServiceScope,
  type ExemptionRule,
  type LineCondition,
  type NoticeEdition,
  type NoticeNote,
  type PurposeLine,
  type RecipientLine,
  type RegisterData,
} from './register.types.js';
import { codeOf, headOf, wordingKey } from './wording.js';

type Mapping = Record<string, unknown>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Reads one register file's entries and records every problem with the file and entry it is in,
 * so that a DPO sees all of them at once.
 */
class EntryReader {
  constructor(
    private readonly problems: RegisterProblem[],
    readonly file: string,
  ) {}

  fail(entry: string, problem: string, code = RegisterErrorCode.INVALID_ENTRY): void {
    this.problems.push({ code, file: this.file, entry, problem });
  }

  mapping(value: unknown, entry: string): Mapping | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Mapping;
    this.fail(entry, 'must be a mapping');
    return undefined;
  }

  list(value: unknown, entry: string, required: boolean): unknown[] {
    if (value === undefined || value === null) {
      if (required) this.fail(entry, 'is required (a list)');
      return [];
    }
    if (Array.isArray(value)) return value;
    this.fail(entry, 'must be a list');
    return [];
  }

  text(value: unknown, entry: string, required = true): string | undefined {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (value === undefined || value === null) {
      if (required) this.fail(entry, 'is required (text)');
      return undefined;
    }
    this.fail(entry, `must be text, not ${JSON.stringify(value)}`);
    return undefined;
  }

  code(value: unknown, entry: string): string | undefined {
    const text = this.text(value, entry);
    if (text !== undefined && !CODE.test(text)) this.fail(entry, `"${text}" is not a kebab-case code`);
    return text;
  }

  date(value: unknown, entry: string, required = true): string | undefined {
    const text = this.text(value, entry, required);
    if (text === undefined) return undefined;
    if (!ISO_DATE.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
      this.fail(entry, `"${text}" is not a date (YYYY-MM-DD)`);
      return undefined;
    }
    return text;
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], entry: string): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(entry, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
    return undefined;
  }

  texts(value: unknown, entry: string): string[] {
    return this.list(value, entry, false).flatMap(
      (item, index) => this.text(item, `${entry}[${index}]`) ?? [],
    );
  }

  onlyKeys(mapping: Mapping, allowed: readonly string[], entry: string): void {
    for (const key of Object.keys(mapping)) {
      if (!allowed.includes(key)) this.fail(entry, `unknown field "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }
}

function readYaml(problems: RegisterProblem[], directory: string, path: string): unknown {
  const file = relative(directory, path);
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push({
      code: RegisterErrorCode.UNREADABLE,
      file,
      entry: '(file)',
      problem: error instanceof Error ? error.message.split('\n')[0] : String(error),
    });
    return undefined;
  }
}

function label(index: number, text: string | undefined): string {
  return text === undefined
    ? `[${index}]`
    : `[${index}] "${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

function readPurposes(reader: EntryReader, value: unknown): PurposeLine[] {
  return reader.list(value, 'purposes', false).flatMap((item, index): PurposeLine[] => {
    if (typeof item === 'string') return [{ text: item.trim(), code: codeOf(headOf(item)), aliases: [] }];
    const entry = `purposes[${index}]`;
    const mapping = reader.mapping(item, entry);
    if (!mapping) return [];
    const text = reader.text(mapping.text, `${entry}.text`);
    const where = `purposes${label(index, text)}`;
    reader.onlyKeys(mapping, ['text', 'code', 'aliases', 'condition', 'note'], where);
    if (text === undefined) return [];
    const code =
      mapping.code === undefined ? codeOf(headOf(text)) : reader.code(mapping.code, `${where}.code`);
    const condition =
      mapping.condition === undefined
        ? undefined
        : reader.oneOf<LineCondition>(mapping.condition, LINE_CONDITIONS, `${where}.condition`);
    return [
      {
        text,
        code: code ?? codeOf(text),
        aliases: reader.texts(mapping.aliases, `${where}.aliases`),
        condition,
      },
    ];
  });
}

function readBases(reader: EntryReader, value: unknown): BasisLine[] {
  return reader.list(value, 'lawfulBases', false).flatMap((item, index): BasisLine[] => {
    const entry = `lawfulBases[${index}]`;
    if (typeof item === 'string') return [{ text: item.trim(), article6: [] }];
    const mapping = reader.mapping(item, entry);
    if (!mapping) return [];
    const text = reader.text(mapping.text, `${entry}.text`);
    const where = `lawfulBases${label(index, text)}`;
    reader.onlyKeys(mapping, ['text', 'article6', 'note'], where);
    const article6 = reader
      .list(mapping.article6, `${where}.article6`, false)
      .flatMap((basis) => reader.oneOf<Article6Basis>(basis, ARTICLE6_BASES, `${where}.article6`) ?? []);
    return text === undefined ? [] : [{ text, article6 }];
  });
}

interface RawRecipientLine {
  text: string;
  headText: string;
  names: string[];
  memberships: Record<string, string[]>;
  services: string[];
  councilServices?: CouncilServiceScope;
  condition?: LineCondition;
  namesImplicitly?: boolean;
  where: string;
}

function readRecipients(reader: EntryReader, value: unknown): RawRecipientLine[] {
  return reader.list(value, 'recipients', false).flatMap((item, index): RawRecipientLine[] => {
    if (typeof item === 'string') {
      const text = item.trim();
      return [
        {
          text,
          headText: headOf(text),
          names: [],
          memberships: {},
          services: [],
          where: `recipients${label(index, text)}`,
        },
      ];
    }
    const mapping = reader.mapping(item, `recipients[${index}]`);
    if (!mapping) return [];
    const text = reader.text(mapping.text, `recipients[${index}].text`);
    const where = `recipients${label(index, text)}`;
    reader.onlyKeys(
      mapping,
      ['text', 'names', 'memberships', 'services', 'condition', 'councilServices', 'namesImplicitly', 'note'],
      where,
    );
    if (text === undefined) return [];
    if (mapping.namesImplicitly === true && typeof mapping.note !== 'string') {
      reader.fail(where, 'namesImplicitly needs a note saying why');
    }
    const codes = (value: unknown, entry: string) =>
      reader.list(value, entry, false).flatMap((code) => reader.code(code, entry) ?? []);
    const memberships: Record<string, string[]> = {};
    if (mapping.memberships !== undefined) {
      const membershipMapping = reader.mapping(mapping.memberships, `${where}.memberships`) ?? {};
      for (const [category, members] of Object.entries(membershipMapping)) {
        if (reader.code(category, `${where}.memberships`) === undefined) continue;
        memberships[category] = codes(members, `${where}.memberships.${category}`);
      }
      if (typeof mapping.note !== 'string') reader.fail(where, 'memberships needs a note saying why');
    }
    return [
      {
        text,
        headText: headOf(text),
        names: codes(mapping.names, `${where}.names`),
        memberships,
        services: codes(mapping.services, `${where}.services`),
        councilServices:
          mapping.councilServices === undefined
            ? undefined
            : reader.oneOf(mapping.councilServices, COUNCIL_SERVICE_SCOPES, `${where}.councilServices`),
        condition:
          mapping.condition === undefined
            ? undefined
            : reader.oneOf<LineCondition>(mapping.condition, LINE_CONDITIONS, `${where}.condition`),
        namesImplicitly: mapping.namesImplicitly === true,
        where,
      },
    ];
  });
}

function readNotes(reader: EntryReader, value: unknown): NoticeNote[] {
  return reader.list(value, 'notes', false).flatMap((item, index): NoticeNote[] => {
    const entry = `notes[${index}]`;
    const mapping = reader.mapping(item, entry);
    if (!mapping) return [];
    reader.onlyKeys(mapping, ['topic', 'text', 'source'], entry);
    const topic = reader.text(mapping.topic, `${entry}.topic`);
    const text = reader.text(mapping.text, `${entry}.text`);
    const source = reader.mapping(mapping.source, `${entry}.source`);
    if (source) reader.onlyKeys(source, ['file', 'section'], `${entry}.source`);
    const file = source && reader.text(source.file, `${entry}.source.file`);
    const section = source && reader.text(source.section, `${entry}.source.section`);
    return topic && text && file && section ? [{ topic, text, source: { file, section } }] : [];
  });
}

interface RawNotice extends Omit<NoticeEdition, 'recipients'> {
  rawRecipients: RawRecipientLine[];
  reader: EntryReader;
}

function readNotice(reader: EntryReader, value: unknown): RawNotice | undefined {
  const mapping = reader.mapping(value, '(file)');
  if (!mapping) return undefined;
  reader.onlyKeys(
    mapping,
    [
      'code',
      'controller',
      'kind',
      'title',
      'aliases',
      'effectiveFrom',
      'effectiveTo',
      'sources',
      'purposes',
      'lawfulBases',
      'recipients',
      'dataCategories',
      'retention',
      'notes',
      'note',
    ],
    '(file)',
  );
  const code = reader.code(mapping.code, 'code');
  const controller = reader.code(mapping.controller, 'controller');
  const kind = reader.oneOf(mapping.kind, NOTICE_KINDS, 'kind');
  const title = reader.text(mapping.title, 'title');
  const effectiveFrom = reader.date(mapping.effectiveFrom, 'effectiveFrom');
  const effectiveTo = reader.date(mapping.effectiveTo, 'effectiveTo', false);
  if (effectiveFrom && effectiveTo && effectiveTo <= effectiveFrom) {
    reader.fail('effectiveTo', `${effectiveTo} is not after effectiveFrom ${effectiveFrom}`);
  }
  const sources = reader.list(mapping.sources, 'sources', true).flatMap((source, index) => {
    const entry = `sources[${index}]`;
    const sourceMapping = reader.mapping(source, entry);
    if (!sourceMapping) return [];
    reader.onlyKeys(sourceMapping, ['file', 'section'], entry);
    const file = reader.text(sourceMapping.file, `${entry}.file`);
    const section = reader.text(sourceMapping.section, `${entry}.section`);
    return file && section ? [{ file, section }] : [];
  });
  let dataCategories: DataCategory[] | undefined;
  if (mapping.dataCategories !== undefined) {
    dataCategories = reader
      .list(mapping.dataCategories, 'dataCategories', true)
      .flatMap((category) => reader.oneOf<DataCategory>(category, DATA_CATEGORIES, 'dataCategories') ?? []);
  }
  let retention: NoticeEdition['retention'];
  if (mapping.retention !== undefined) {
    const retentionMapping = reader.mapping(mapping.retention, 'retention');
    if (retentionMapping) {
      reader.onlyKeys(retentionMapping, ['text', 'days'], 'retention');
      const days = retentionMapping.days;
      if (days !== undefined && !(Number.isInteger(days) && (days as number) > 0)) {
        reader.fail('retention.days', `${JSON.stringify(days)} is not a whole number of days`);
      }
      retention = {
        text: reader.text(retentionMapping.text, 'retention.text') ?? '',
        days: typeof days === 'number' ? days : undefined,
      };
    }
  }
  const purposes = readPurposes(reader, mapping.purposes);
  const lawfulBases = readBases(reader, mapping.lawfulBases);
  const rawRecipients = readRecipients(reader, mapping.recipients);
  if (!code || !controller || !kind || !title || !effectiveFrom) return undefined;
  if (kind !== 'reference') {
    if (purposes.length === 0)
      reader.fail('purposes', 'a notice the checker applies needs at least one purpose');
    if (rawRecipients.length === 0)
      reader.fail('recipients', 'a notice the checker applies needs at least one recipient');
    if (!lawfulBases.some((line) => line.article6.length > 0)) {
      reader.fail(
        'lawfulBases',
        'a notice the checker applies needs at least one line naming an Art 6 basis',
      );
    }
  }
  return {
    code,
    controller,
    kind,
    title,
    aliases: reader.texts(mapping.aliases, 'aliases'),
    effectiveFrom,
    effectiveTo,
    sources,
    purposes,
    lawfulBases,
    rawRecipients,
    dataCategories,
    retention,
    notes: readNotes(reader, mapping.notes),
    file: reader.file,
    reader,
  };
}

function yamlFilesUnder(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/**
 * Loads and validates the register in `directory` (see docs/register-format.md).
 * Throws RegisterLoadException listing every problem, each with its file and entry.
 */
export function loadRegisterData(directory: string): RegisterData {
  const problems: RegisterProblem[] = [];
  const fileReader = (path: string) => new EntryReader(problems, relative(directory, path));

  const registerPath = join(directory, 'register.yaml');
  const registerReader = fileReader(registerPath);
  const registerYaml =
    registerReader.mapping(readYaml(problems, directory, registerPath) ?? {}, '(file)') ?? {};
  const controllers = registerReader
    .list(registerYaml.controllers, 'controllers', true)
    .flatMap((item, index) => {
      const entry = `controllers[${index}]`;
      const mapping = registerReader.mapping(item, entry);
      if (!mapping) return [];
      registerReader.onlyKeys(mapping, ['code', 'name', 'aliases', 'note'], entry);
      const code = registerReader.code(mapping.code, `${entry}.code`);
      const name = registerReader.text(mapping.name, `${entry}.name`);
      const aliases = registerReader.texts(mapping.aliases, `${entry}.aliases`);
      return code && name ? [{ code, name, aliases }] : [];
    });
  const exemptions: Partial<Record<Exemption, ExemptionRule>> = {};
  const exemptionYaml = registerReader.mapping(registerYaml.exemptions ?? {}, 'exemptions') ?? {};
  for (const [key, value] of Object.entries(exemptionYaml)) {
    const exemption = registerReader.oneOf<Exemption>(key, EXEMPTIONS, `exemptions.${key}`);
    const mapping = registerReader.mapping(value, `exemptions.${key}`);
    if (!exemption || !mapping) continue;
    const recipients =
      mapping.recipients === 'any'
        ? 'any'
        : registerReader
            .list(mapping.recipients, `exemptions.${key}.recipients`, true)
            .flatMap((id) => registerReader.code(id, `exemptions.${key}.recipients`) ?? []);
    exemptions[exemption] = {
      recipients,
      source: registerReader.text(mapping.source, `exemptions.${key}.source`) ?? '',
      text: registerReader.text(mapping.text, `exemptions.${key}.text`) ?? '',
    };
  }

  const recipientsPath = join(directory, 'recipients.yaml');
  const recipientsReader = fileReader(recipientsPath);
  const recipientsYaml =
    recipientsReader.mapping(readYaml(problems, directory, recipientsPath) ?? {}, '(file)') ?? {};
  const organisations = recipientsReader
    .list(recipientsYaml.organisations, 'organisations', true)
    .flatMap((item, index) => {
      const entry = `organisations[${index}]`;
      const mapping = recipientsReader.mapping(item, entry);
      if (!mapping) return [];
      recipientsReader.onlyKeys(mapping, ['id', 'name', 'aliases', 'note'], entry);
      const id = recipientsReader.code(mapping.id, `${entry}.id`);
      const name = recipientsReader.text(mapping.name, `${entry}.name`);
      return id && name
        ? [{ id, name, aliases: recipientsReader.texts(mapping.aliases, `organisations.${id}.aliases`) }]
        : [];
    });
  const services = readServices(recipientsReader, recipientsYaml.services, controllers);
  const categoryAliases = recipientsReader
    .list(recipientsYaml.categories, 'categories', false)
    .flatMap((item, index) => {
      const entry = `categories[${index}]`;
      const mapping = recipientsReader.mapping(item, entry);
      if (!mapping) return [];
      recipientsReader.onlyKeys(mapping, ['id', 'aliases', 'note'], entry);
      const id = recipientsReader.code(mapping.id, `${entry}.id`);
      return id ? [{ id, aliases: recipientsReader.texts(mapping.aliases, `categories.${id}.aliases`) }] : [];
    });

  const adequacyPath = join(directory, 'adequacy.yaml');
  const adequacyReader = fileReader(adequacyPath);
  const adequacyYaml =
    adequacyReader.mapping(readYaml(problems, directory, adequacyPath) ?? {}, '(file)') ?? {};
  const adequacy = adequacyReader
    .list(adequacyYaml.countries, 'countries', true)
    .flatMap((item, index): AdequacyEntry[] => {
      const entry = `countries[${index}]`;
      const mapping = adequacyReader.mapping(item, entry);
      if (!mapping) return [];
      adequacyReader.onlyKeys(mapping, ['country', 'name', 'from', 'scope', 'note'], entry);
      const country = adequacyReader.text(mapping.country, `${entry}.country`);
      if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
        adequacyReader.fail(`${entry}.country`, `"${country}" is not an ISO 3166-1 alpha-2 code`);
      }
      const name = adequacyReader.text(mapping.name, `${entry}.name`);
      const from = adequacyReader.date(mapping.from, `${entry}.from`);
      const scope = adequacyReader.oneOf(
        mapping.scope ?? 'full',
        ['full', 'partial'] as const,
        `${entry}.scope`,
      );
      const note = adequacyReader.text(mapping.note, `${entry}.note`, false);
      return country && name && from && scope ? [{ country, name, from, scope, note }] : [];
    });

  const noticeFiles = yamlFilesUnder(join(directory, 'notices'));
  if (noticeFiles.length === 0) {
    problems.push({
      code: RegisterErrorCode.UNREADABLE,
      file: 'notices/',
      entry: '(directory)',
      problem: 'no notice files found',
    });
  }
  const rawNotices = noticeFiles.flatMap((path) => {
    const reader = fileReader(path);
    const notice = readNotice(reader, readYaml(problems, directory, path));
    return notice ? [notice] : [];
  });

  const notices = resolveRecipientLines(rawNotices, organisations, controllers, services);
  checkEditions(notices, problems);

  if (problems.length > 0) throw new RegisterLoadException(directory, problems);
  return {
    name: registerReader.text(registerYaml.name, 'name', false) ?? 'Register of privacy notices',
    controllers,
    services,
    exemptions,
    notices,
    organisations,
    categoryAliases,
    adequacy,
  };
}

/** `services:` in recipients.yaml: each controller's own services, by controller code. */
function readServices(
  reader: EntryReader,
  value: unknown,
  controllers: RegisterData['controllers'],
): CouncilService[] {
  const byController = reader.mapping(value ?? {}, 'services') ?? {};
  const controllerCodes = new Set(controllers.map((controller) => controller.code));
  const seen = new Set<string>();
  return Object.entries(byController).flatMap(([controller, list]) => {
    if (!controllerCodes.has(controller)) {
      reader.fail(`services.${controller}`, `"${controller}" is not a controller in register.yaml`);
      return [];
    }
    return reader.list(list, `services.${controller}`, true).flatMap((item, index): CouncilService[] => {
      const entry = `services.${controller}[${index}]`;
      const mapping = reader.mapping(item, entry);
      if (!mapping) return [];
      reader.onlyKeys(mapping, ['id', 'name', 'aliases', 'enforcement', 'note'], entry);
      const id = reader.code(mapping.id, `${entry}.id`);
      const name = reader.text(mapping.name, `${entry}.name`);
      if (mapping.enforcement !== undefined && typeof mapping.enforcement !== 'boolean') {
        reader.fail(`${entry}.enforcement`, 'must be true or false');
      }
      if (id === undefined || name === undefined) return [];
      if (seen.has(`${controller}/${id}`)) {
        reader.fail(`${entry}.id`, `"${id}" is listed twice for ${controller}`, RegisterErrorCode.CONFLICT);
      }
      seen.add(`${controller}/${id}`);
      return [
        {
          id,
          controller,
          name,
          aliases: reader.texts(mapping.aliases, `services.${controller}.${id}.aliases`),
          enforcement: mapping.enforcement === true,
        },
      ];
    });
  });
}

/**
 * Turns each recipient line's head into the organisation, service or category it names, and checks every id the
 * line names against the line's own words.
 */
function resolveRecipientLines(
  rawNotices: RawNotice[],
  organisations: RegisterData['organisations'],
  controllers: RegisterData['controllers'],
  services: CouncilService[],
): NoticeEdition[] {
  const organisationByWording = new Map<string, string>();
  const wordingsOf = new Map<string, string[]>();
  for (const organisation of organisations) {
    const wordings = [organisation.name, ...organisation.aliases, organisation.id].map(wordingKey);
    wordingsOf.set(organisation.id, wordings);
    for (const wording of wordings) organisationByWording.set(wording, organisation.id);
  }
  const organisationIds = new Set(organisations.map((organisation) => organisation.id));
  const serviceByWording = new Map<string, string>();
  const serviceWordings = new Map<string, string[]>();
  for (const service of services) {
    const wordings = [service.id, service.name, ...service.aliases].map(wordingKey);
    serviceWordings.set(`${service.controller}/${service.id}`, wordings);
    for (const wording of wordings) serviceByWording.set(`${service.controller}/${wording}`, service.id);
  }
  const serviceOfHead = (controller: string, line: RawRecipientLine) =>
    serviceByWording.get(`${controller}/${wordingKey(line.headText)}`);
  const headOfLine = (controller: string, line: RawRecipientLine) =>
    organisationByWording.get(wordingKey(line.headText)) ??
    serviceOfHead(controller, line) ??
    codeOf(line.headText);
  const categoryIds = new Set(
    rawNotices.flatMap((notice) =>
      notice.rawRecipients
        .filter((line) => serviceOfHead(notice.controller, line) === undefined)
        .map((line) => headOfLine(notice.controller, line))
        .filter((head) => !organisationIds.has(head)),
    ),
  );
  const controllerCodes = new Set(controllers.map((controller) => controller.code));

  return rawNotices.map(({ rawRecipients, reader, ...notice }): NoticeEdition => {
    if (!controllerCodes.has(notice.controller)) {
      reader.fail('controller', `"${notice.controller}" is not a controller in register.yaml`);
    }
    const recipients = rawRecipients.map((line): RecipientLine => {
      const lineKey = wordingKey(line.text);
      // A line may only name what its own words name, so that no recipient is covered by a reviewer's guess.
      const inText = (wordings: string[]) =>
        line.namesImplicitly || wordings.some((wording) => lineKey.includes(wording));
      for (const name of line.names) {
        if (!organisationIds.has(name) && !categoryIds.has(name)) {
          reader.fail(
            line.where,
            `names "${name}", which is neither an organisation in recipients.yaml nor a category`,
          );
          continue;
        }
        if (!inText(wordingsOf.get(name) ?? [wordingKey(name)])) {
          reader.fail(
            line.where,
            `names "${name}", but none of its names or aliases appears in the line's text`,
          );
        }
      }
      for (const [category, members] of Object.entries(line.memberships)) {
        if (!categoryIds.has(category))
          reader.fail(line.where, `memberships: "${category}" is not a category`);
        if (!inText([wordingKey(category)])) {
          reader.fail(line.where, `memberships: the line's text does not name the category "${category}"`);
        }
        for (const member of members) {
          if (!line.names.includes(member)) {
            reader.fail(line.where, `memberships.${category}: "${member}" is not one of the line's names`);
          }
        }
      }
      const headService = serviceOfHead(notice.controller, line);
      const lineServices = [...new Set([...(headService ? [headService] : []), ...line.services])];
      for (const service of line.services) {
        const wordings = serviceWordings.get(`${notice.controller}/${service}`);
        if (wordings === undefined) {
          reader.fail(
            line.where,
            `services: "${service}" is not a service of ${notice.controller} in recipients.yaml`,
          );
        } else if (!inText(wordings)) {
          reader.fail(line.where, `services: "${service}" is not named in the line's text`);
        }
      }
      return {
        text: line.text,
        head: headOfLine(notice.controller, line),
        names: line.names,
        memberships: line.memberships,
        services: lineServices,
        councilServices: line.councilServices,
        condition: line.condition,
      };
    });
    return { ...notice, recipients };
  });
}

function checkEditions(notices: NoticeEdition[], problems: RegisterProblem[]): void {
  const byCode = new Map<string, NoticeEdition[]>();
  for (const notice of notices) {
    const key = `${notice.controller}/${notice.code}`;
    byCode.set(key, [...(byCode.get(key) ?? []), notice]);
  }
  for (const [key, editions] of byCode) {
    const sorted = [...editions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
    for (let index = 1; index < sorted.length; index++) {
      const previous = sorted[index - 1];
      const current = sorted[index];
      if (previous.effectiveTo === undefined || previous.effectiveTo > current.effectiveFrom) {
        problems.push({
          code: RegisterErrorCode.CONFLICT,
          file: current.file,
          entry: 'effectiveFrom',
          problem: `edition of ${key} from ${current.effectiveFrom} overlaps the edition in ${previous.file} (from ${previous.effectiveFrom}${previous.effectiveTo ? ` to ${previous.effectiveTo}` : ', no end'})`,
        });
      }
    }
  }
}

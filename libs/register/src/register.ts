import { createHash } from 'node:crypto';
import type { Article6Basis, DataCategory, Exemption } from '#libs/contracts';
import { canonicalJson } from '#libs/contracts';
import { RegisterErrorCode, RegisterLoadException, type RegisterProblem } from './register.exception.js';
import { loadRegisterData } from './register.loader.js';
import {
  type AdequacyEntry,
  type CouncilService,
  type NoticeEdition,
  type PurposeLine,
  type Recipient,
  type RecipientLine,
  type RegisterData,
} from './register.types.js';
import { headOf, wordingKey } from './wording.js';

/** Spec section 6: the council-wide notices' codes, in the order that breaks ties between closest notices. */
export const COUNCIL_WIDE_ORDER = [
  'national-fraud-initiative',
  'test-and-trace',
  'test-and-trace-support-payment',
  'covid-vulnerable-groups',
  'statutory-returns',
  'joined-up-services',
  'health-and-social-care',
  'cp-is',
] as const;

/** One notice edition, indexed for checking. */
export interface IndexedNotice {
  edition: NoticeEdition;
  purposeLines: ReadonlyMap<string, readonly PurposeLine[]>;
  /** Every recipient the notice names, with the lines that name it (directly, by category, or as council services). */
  recipientLines: ReadonlyMap<string, readonly RecipientLine[]>;
  bases: ReadonlySet<Article6Basis>;
  dataCategories?: ReadonlySet<DataCategory>;
}

/** The register as it stood over one period: the notice editions in force then. */
export interface RegisterVersion {
  id: string;
  effectiveFrom: string;
  effectiveTo?: string;
  /** SHA-256 (hex) of the canonical JSON of everything this version says. */
  contentHash: string;
  notices: readonly IndexedNotice[];
  /** The service-area notice of (controller, service-area wording key). */
  serviceAreaNotice(controller: string, serviceArea: string): IndexedNotice | undefined;
  /** The controller's council-wide notices, in tie-break order. */
  councilWideNotices(controller: string): readonly IndexedNotice[];
}

export interface RecipientReference {
  id?: string;
  name: string;
  category?: string;
  internal?: boolean;
}

/**
 * Who a disclosure's recipient is, for the event's controller (spec section 7): nothing the register knows, an
 * organisation or category outside the council, or the council itself, optionally one of its named services.
 */
export type ResolvedRecipient =
  { kind: 'unknown' } | { kind: 'external'; id: string } | { kind: 'internal'; service?: string };

const WHOLE_COUNCIL_KEY = '@council';

/** The key under which an indexed notice lists the lines that cover a resolved recipient. */
export function recipientKey(recipient: ResolvedRecipient): string | undefined {
  switch (recipient.kind) {
    case 'unknown':
      return undefined;
    case 'external':
      return recipient.id;
    case 'internal':
      return recipient.service === undefined ? WHOLE_COUNCIL_KEY : `@service/${recipient.service}`;
  }
}

function startOfDayMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export class Register {
  readonly versions: readonly RegisterVersion[];
  readonly recipients: ReadonlyMap<string, Recipient>;
  private readonly versionStartsMs: number[];
  private readonly purposeByKey = new Map<string, string>();
  private readonly purposeWordings = new Map<string, string[]>();
  private readonly recipientByKey = new Map<string, string>();
  /** `${controller}\0${wording key}` → the council itself (no service) or one of its services. */
  private readonly ownWordings = new Map<string, { service?: string }>();
  private readonly servicesById = new Map<string, CouncilService>();
  private readonly adequacyByCountry = new Map<string, AdequacyEntry>();

  constructor(
    readonly data: RegisterData,
    readonly directory: string,
  ) {
    const problems: RegisterProblem[] = [];
    this.indexPurposes(problems);
    this.recipients = this.indexRecipients(problems);
    this.indexOwnWordings(problems);
    if (problems.length > 0) throw new RegisterLoadException(directory, problems);
    for (const entry of data.adequacy) this.adequacyByCountry.set(entry.country, entry);
    this.versions = this.buildVersions();
    this.versionStartsMs = this.versions.map((version) => startOfDayMs(version.effectiveFrom));
  }

  /** The register version in force at an instant (ms since epoch), or undefined before the first. */
  versionAt(instantMs: number): RegisterVersion | undefined {
    let low = 0;
    let high = this.versionStartsMs.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.versionStartsMs[middle] <= instantMs) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found < 0 ? undefined : this.versions[found];
  }

  get latestVersion(): RegisterVersion {
    return this.versions[this.versions.length - 1];
  }

  /** The purpose code a publisher's wording names, or undefined. */
  resolvePurpose(purpose: string): string | undefined {
    return this.purposeByKey.get(wordingKey(purpose));
  }

  /** The wordings the notices use for a purpose code. */
  wordingsOfPurpose(code: string): readonly string[] {
    return this.purposeWordings.get(code) ?? [];
  }

  /**
   * Spec sections 6 and 7: `id` decides, then `name`, and `category` only when the name resolves to nothing. For
   * the event's controller, its own services and its own name come first: they are internal. `internal: true` makes
   * any recipient internal, keeping the service its name names, if any.
   */
  resolveRecipient(recipient: RecipientReference, controller: string): ResolvedRecipient {
    const resolveWording = (wording: string): ResolvedRecipient | undefined => {
      const key = wordingKey(wording);
      const own = this.ownWordings.get(`${controller}\u0000${key}`);
      if (own !== undefined) return { kind: 'internal', service: own.service };
      const id = this.recipientByKey.get(key);
      if (id === undefined) return undefined;
      return id === controller ? { kind: 'internal' } : { kind: 'external', id };
    };
    const resolved =
      recipient.id !== undefined
        ? resolveWording(recipient.id)
        : (resolveWording(recipient.name) ??
          (recipient.category === undefined ? undefined : resolveWording(recipient.category)));
    if (recipient.internal === true) {
      return { kind: 'internal', service: resolved?.kind === 'internal' ? resolved.service : undefined };
    }
    return resolved ?? { kind: 'unknown' };
  }

  /** The controller's service with this id. */
  service(controller: string, id: string): CouncilService | undefined {
    return this.servicesById.get(`${controller}/${id}`);
  }

  adequacyOf(country: string): AdequacyEntry | undefined {
    return this.adequacyByCountry.get(country);
  }

  exemptionFits(exemption: Exemption, recipient: ResolvedRecipient): boolean {
    const rule = this.data.exemptions[exemption];
    if (rule === undefined) return false;
    if (rule.recipients === 'any') return true;
    return recipient.kind === 'external' && rule.recipients.includes(recipient.id);
  }

  controllerName(code: string): string | undefined {
    return this.data.controllers.find((controller) => controller.code === code)?.name;
  }

  private indexPurposes(problems: RegisterProblem[]): void {
    for (const notice of this.data.notices) {
      for (const line of notice.purposes) {
        const wordings = [line.text, headOf(line.text), line.code, ...line.aliases];
        for (const wording of wordings) {
          const key = wordingKey(wording);
          const existing = this.purposeByKey.get(key);
          if (existing !== undefined && existing !== line.code) {
            problems.push({
              code: RegisterErrorCode.CONFLICT,
              file: notice.file,
              entry: `purposes "${line.text}"`,
              problem: `the wording "${wording}" already names the purpose "${existing}"`,
            });
            continue;
          }
          this.purposeByKey.set(key, line.code);
        }
        const known = this.purposeWordings.get(line.code) ?? [];
        if (!known.includes(line.text)) this.purposeWordings.set(line.code, [...known, line.text]);
      }
    }
  }

  private indexRecipients(problems: RegisterProblem[]): Map<string, Recipient> {
    const recipients = new Map<string, Recipient>();
    for (const organisation of this.data.organisations) {
      recipients.set(organisation.id, { ...organisation, kind: 'organisation', memberOf: [] });
    }
    const claim = (wording: string, id: string, where: { file: string; entry: string }) => {
      const key = wordingKey(wording);
      const existing = this.recipientByKey.get(key);
      if (existing !== undefined && existing !== id) {
        problems.push({
          code: RegisterErrorCode.CONFLICT,
          ...where,
          problem: `the wording "${wording}" names both "${existing}" and "${id}"`,
        });
        return;
      }
      this.recipientByKey.set(key, id);
    };
    for (const recipient of recipients.values()) {
      for (const wording of [recipient.id, recipient.name, ...recipient.aliases]) {
        claim(wording, recipient.id, { file: 'recipients.yaml', entry: `organisations.${recipient.id}` });
      }
    }
    for (const notice of this.data.notices) {
      for (const line of notice.recipients) {
        // A line whose head is one of the council's services, or the council's services in general, names the
        // council itself: its wording is the controller's own (indexOwnWordings), never a category.
        if (namesTheCouncilByHead(line)) continue;
        if (!recipients.has(line.head)) {
          recipients.set(line.head, {
            id: line.head,
            name: headOf(line.text),
            kind: 'category',
            aliases: [],
            memberOf: [],
          });
        }
        const where = { file: notice.file, entry: `recipients "${line.text}"` };
        claim(line.head, line.head, where);
        claim(headOf(line.text), line.head, where);
        claim(line.text, line.head, where);
      }
    }
    // Names inside lines may refer to categories that later files create, so memberships are read once all exist.
    const join = (id: string, category: string) => {
      const member = recipients.get(id);
      if (member !== undefined && id !== category && !member.memberOf.includes(category))
        member.memberOf.push(category);
    };
    for (const notice of this.data.notices) {
      for (const line of notice.recipients) {
        if (namesTheCouncilByHead(line)) continue;
        for (const name of line.names) join(name, line.head);
        for (const [category, members] of Object.entries(line.memberships)) {
          for (const member of members) join(member, category);
        }
      }
    }
    for (const { id, aliases } of this.data.categoryAliases) {
      const category = recipients.get(id);
      if (category === undefined || category.kind !== 'category') {
        problems.push({
          code: RegisterErrorCode.INVALID_ENTRY,
          file: 'recipients.yaml',
          entry: `categories.${id}`,
          problem: 'is not a category that any notice line creates',
        });
        continue;
      }
      category.aliases.push(...aliases);
      for (const alias of aliases) claim(alias, id, { file: 'recipients.yaml', entry: `categories.${id}` });
    }
    return recipients;
  }

  /** The controllers' own wordings: their names, their services, and lines that name their services in general. */
  private indexOwnWordings(problems: RegisterProblem[]): void {
    const claim = (
      controller: string,
      wording: string,
      value: { service?: string },
      where: { file: string; entry: string },
    ) => {
      const key = `${controller}\u0000${wordingKey(wording)}`;
      const existing = this.ownWordings.get(key);
      if (existing !== undefined && existing.service !== value.service) {
        problems.push({
          code: RegisterErrorCode.CONFLICT,
          ...where,
          problem: `the wording "${wording}" names both ${existing.service ?? controller} and ${value.service ?? controller}`,
        });
        return;
      }
      this.ownWordings.set(key, value);
    };
    for (const controller of this.data.controllers) {
      for (const wording of [controller.code, controller.name, ...controller.aliases]) {
        claim(
          controller.code,
          wording,
          {},
          { file: 'register.yaml', entry: `controllers.${controller.code}` },
        );
      }
    }
    for (const service of this.data.services) {
      this.servicesById.set(`${service.controller}/${service.id}`, service);
      for (const wording of [service.id, service.name, ...service.aliases]) {
        claim(
          service.controller,
          wording,
          { service: service.id },
          {
            file: 'recipients.yaml',
            entry: `services.${service.controller}.${service.id}`,
          },
        );
      }
    }
    for (const notice of this.data.notices) {
      for (const line of notice.recipients) {
        if (line.councilServices !== 'all') continue;
        const where = { file: notice.file, entry: `recipients "${line.text}"` };
        claim(notice.controller, headOf(line.text), {}, where);
        claim(notice.controller, line.text, {}, where);
      }
    }
  }

  private indexNotice(edition: NoticeEdition): IndexedNotice {
    const purposeLines = new Map<string, PurposeLine[]>();
    for (const line of edition.purposes)
      purposeLines.set(line.code, [...(purposeLines.get(line.code) ?? []), line]);
    const recipientLines = new Map<string, RecipientLine[]>();
    const add = (id: string, line: RecipientLine) => {
      const lines = recipientLines.get(id) ?? [];
      if (!lines.includes(line)) recipientLines.set(id, [...lines, line]);
    };
    // The lines that name a category, by its head or inside the line, cover that category's members too.
    const namingCategory = new Map<string, RecipientLine[]>();
    const names = (id: string, line: RecipientLine) => {
      add(id, line);
      namingCategory.set(id, [...(namingCategory.get(id) ?? []), line]);
    };
    const ownServices = this.data.services.filter((service) => service.controller === edition.controller);
    for (const line of edition.recipients) {
      if (!namesTheCouncilByHead(line)) names(line.head, line);
      for (const name of line.names) names(name, line);
      for (const service of line.services) add(recipientKey({ kind: 'internal', service })!, line);
      if (line.councilServices === 'all') {
        add(WHOLE_COUNCIL_KEY, line);
        for (const service of ownServices)
          add(recipientKey({ kind: 'internal', service: service.id })!, line);
      } else if (line.councilServices === 'enforcement') {
        for (const service of ownServices.filter((candidate) => candidate.enforcement)) {
          add(recipientKey({ kind: 'internal', service: service.id })!, line);
        }
      }
    }
    for (const recipient of this.recipients.values()) {
      for (const category of recipient.memberOf) {
        for (const line of namingCategory.get(category) ?? []) add(recipient.id, line);
      }
    }
    return {
      edition,
      purposeLines,
      recipientLines,
      bases: new Set(edition.lawfulBases.flatMap((line) => line.article6)),
      dataCategories: edition.dataCategories ? new Set(edition.dataCategories) : undefined,
    };
  }

  private buildVersions(): RegisterVersion[] {
    const boundaries = [
      ...new Set(
        this.data.notices.flatMap((notice) => [notice.effectiveFrom, notice.effectiveTo ?? []].flat()),
      ),
    ].sort();
    const indexed = new Map(this.data.notices.map((notice) => [notice, this.indexNotice(notice)]));
    const versions: RegisterVersion[] = [];
    boundaries.forEach((start, index) => {
      const inForce = this.data.notices.filter(
        (notice) =>
          notice.effectiveFrom <= start && (notice.effectiveTo === undefined || start < notice.effectiveTo),
      );
      if (inForce.length === 0) return;
      versions.push(
        this.buildVersion(
          start,
          boundaries[index + 1],
          inForce.map((notice) => indexed.get(notice)!),
        ),
      );
    });
    return versions;
  }

  private buildVersion(start: string, end: string | undefined, notices: IndexedNotice[]): RegisterVersion {
    const serviceAreas = new Map<string, IndexedNotice>();
    const councilWide = new Map<string, IndexedNotice[]>();
    for (const notice of notices) {
      const { edition } = notice;
      if (edition.kind === 'service-area') {
        for (const wording of [edition.code, edition.title, headOf(edition.title), ...edition.aliases]) {
          serviceAreas.set(`${edition.controller}\u0000${wordingKey(wording)}`, notice);
        }
      } else if (edition.kind === 'council-wide') {
        councilWide.set(edition.controller, [...(councilWide.get(edition.controller) ?? []), notice]);
      }
    }
    const rank = (code: string) => {
      const at = (COUNCIL_WIDE_ORDER as readonly string[]).indexOf(code);
      return at < 0 ? COUNCIL_WIDE_ORDER.length : at;
    };
    for (const list of councilWide.values()) {
      list.sort(
        (a, b) => rank(a.edition.code) - rank(b.edition.code) || a.edition.code.localeCompare(b.edition.code),
      );
    }
    const content = {
      id: start,
      controllers: this.data.controllers,
      notices: notices.map(({ edition: { file: _file, ...edition } }) => edition),
      recipients: [...this.recipients.values()],
      services: this.data.services,
      adequacy: this.data.adequacy,
      exemptions: this.data.exemptions,
    };
    return {
      id: start,
      effectiveFrom: start,
      effectiveTo: end,
      contentHash: createHash('sha256').update(canonicalJson(content)).digest('hex'),
      notices,
      serviceAreaNotice: (controller, serviceArea) =>
        serviceAreas.get(`${controller}\u0000${wordingKey(serviceArea)}`),
      councilWideNotices: (controller) => councilWide.get(controller) ?? [],
    };
  }
}

/** A line whose head is a service of its council, or that names the council's services in general by its head. */
function namesTheCouncilByHead(line: RecipientLine): boolean {
  return line.councilServices === 'all' || line.services.includes(line.head);
}

/** Loads, validates and indexes the register in `directory`. */
export function loadRegister(directory: string): Register {
  return new Register(loadRegisterData(directory), directory);
}

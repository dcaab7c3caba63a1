import type { DataCategory, Exemption } from '#libs/contracts';
import { DEFAULT_CONTROLLER } from '#libs/contracts';
import type { DisclosureEvent } from '#libs/contracts';
import type { IndexedNotice, Register, RegisterVersion, ResolvedRecipient } from '#libs/register';
import type { AdequacyEntry, ExemptionRule, LineCondition } from '#libs/register';

const MAX_LISTED = 12;

function list(items: readonly string[]): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, MAX_LISTED).map((item) => `"${item}"`);
  const more = unique.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/**
 * Writes the flag messages a DPO acts on: what was disclosed, which notice and register version it was checked
 * against, and what that notice says. Never includes the subject reference.
 */
export class DisclosureDescription {
  constructor(
    private readonly event: DisclosureEvent,
    private readonly register: Register,
    private readonly version: RegisterVersion | undefined,
    private readonly recipient: ResolvedRecipient,
    private readonly controller: string,
  ) {}

  private get disclosure(): string {
    const { event } = this;
    const records = event.recordCount ?? 1;
    return (
      `${records} record${records === 1 ? '' : 's'} of ${event.dataCategories.join(', ')} ` +
      `from "${event.source.serviceArea}" to "${event.recipient.name}" for "${event.purpose}" ` +
      `under ${event.lawfulBasis.article6}`
    );
  }

  private noticeRef(notice: IndexedNotice): string {
    const { edition } = notice;
    const version = this.version
      ? `register version ${this.version.id} (sha256 ${this.version.contentHash.slice(0, 12)})`
      : '';
    return `notice "${edition.code}" (${edition.title}, edition in force from ${edition.effectiveFrom}; ${version})`;
  }

  noticeUnknown(controller: string): string {
    const { event, register, version } = this;
    const controllerName = register.controllerName(controller);
    if (controllerName === undefined) {
      const known = register.data.controllers.map((known) => known.code).join(', ');
      return `${this.disclosure}: the controller "${controller}" has no notices in the register (controllers: ${known}).`;
    }
    const serviceAreas = (version?.notices ?? [])
      .filter((notice) => notice.edition.kind === 'service-area' && notice.edition.controller === controller)
      .map((notice) => notice.edition.code);
    if (serviceAreas.length === 0) {
      const first = register.data.notices
        .filter((notice) => notice.kind === 'service-area' && notice.controller === controller)
        .map((notice) => notice.effectiveFrom)
        .sort()[0];
      return `${this.disclosure} on ${event.occurredAt}: no service-area notice of ${controllerName} was in force then; the first is in force from ${first ?? 'no date'}.`;
    }
    const assumed = event.controller === undefined ? ` (controller defaults to ${DEFAULT_CONTROLLER})` : '';
    return (
      `${this.disclosure}: ${controllerName}${assumed} has no notice for the service area "${event.source.serviceArea}" ` +
      `in register version ${version!.id}. Its service areas: ${serviceAreas.join(', ')}.`
    );
  }

  purposeNotInNotice(notice: IndexedNotice): string {
    const purposes = notice.edition.purposes.map((line) => line.text);
    return `${this.disclosure}: the purpose is not in the ${this.noticeRef(notice)}, which gives these purposes: ${list(purposes)}.`;
  }

  recipientNotInNotice(notice: IndexedNotice): string {
    const recipients = notice.edition.recipients.map((line) => line.text);
    return `${this.disclosure}: ${this.recipientDescription()} is not one the ${this.noticeRef(notice)} names; it says data may be shared with: ${list(recipients)}.`;
  }

  private recipientDescription(): string {
    const { recipient, register, controller } = this;
    if (recipient.kind !== 'internal') return 'the recipient';
    const council = register.controllerName(controller) ?? controller;
    if (recipient.service === undefined) {
      return `the recipient, a part of ${council} that is none of the services the register lists, so only a line naming the council's services in general covers it,`;
    }
    const service = register.service(controller, recipient.service);
    return `the recipient, ${council}'s own service "${service?.name ?? recipient.service}",`;
  }

  recipientUnknown(): string {
    const { recipient } = this.event;
    const tried = [
      recipient.id !== undefined ? `id "${recipient.id}"` : undefined,
      `name "${recipient.name}"`,
      recipient.category !== undefined ? `category "${recipient.category}"` : undefined,
    ].filter((item): item is string => item !== undefined);
    return `${this.disclosure}: the recipient (${tried.join(', ')}) is not an organisation or category in the register; add it with its aliases if a notice names it.`;
  }

  basisNotInNotice(notice: IndexedNotice): string {
    const bases = [...notice.bases].join(', ');
    return `${this.disclosure}: the ${this.noticeRef(notice)} gives the lawful bases ${bases}, not ${this.event.lawfulBasis.article6}.`;
  }

  categoriesNotInNotice(notice: IndexedNotice): string {
    const listed = notice.dataCategories ?? new Set<DataCategory>();
    const others = this.event.dataCategories.filter((category) => !listed.has(category));
    return `${this.disclosure}: the ${this.noticeRef(notice)} lists the data categories ${[...listed].join(', ')}; ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} not among them.`;
  }

  consentRequired(notice: IndexedNotice, condition: LineCondition): string {
    const says =
      condition === 'consent-or-deidentified'
        ? 'for these uses the council will "either directly ask for your consent or use data that does not directly identify you", and the event has no consentRef and is neither pseudonymised nor anonymised'
        : 'shares here only "with consent", and the event has no consentRef';
    return `${this.disclosure}: the ${this.noticeRef(notice)} ${says}.`;
  }

  pseudonymisationRequired(notice: IndexedNotice): string {
    return `${this.disclosure}: the ${this.noticeRef(notice)} says data shared with this recipient "will be pseudonymised or anonymised", and the event is neither.`;
  }

  specialCategoryNoCondition(categories: DataCategory[]): string {
    return `${this.disclosure}: ${categories.join(', ')} ${categories.length === 1 ? 'is' : 'are'} special-category or criminal-offence data (UK GDPR Art 9/10) and the event gives no lawfulBasis.specialCondition.`;
  }

  transferNoSafeguard(country: string, adequacy: AdequacyEntry | undefined): string {
    const why =
      adequacy === undefined
        ? `${country} is outside the UK and the EEA and not on the UK adequacy list`
        : adequacy.scope === 'partial'
          ? `${country} (${adequacy.name}) is on the UK adequacy list only in part (${adequacy.note ?? 'some recipients'})`
          : `${country} (${adequacy.name}) is on the UK adequacy list only from ${adequacy.from}`;
    return `${this.disclosure}: ${why}, and the event names no transferMechanism (adequacy, idta, addendum-scc, bcr, derogation).`;
  }

  retentionExceeded(notice: IndexedNotice, days: number): string {
    const retention = notice.edition.retention?.text ?? `${days} days`;
    return `${this.disclosure}: the data were collected on ${this.event.collectedAt} and disclosed on ${this.event.occurredAt}, more than ${days} days later; the ${this.noticeRef(notice)} says: "${retention}".`;
  }

  marketingWithoutConsent(): string {
    return `${this.disclosure}: a marketing purpose shared outside the council without a consentRef; the council's notice says it will not give information to any third party for marketing purposes unless it has asked permission.`;
  }

  exemptionClaimed(exemption: Exemption, rule: ExemptionRule | undefined): string {
    const named = rule === undefined ? '' : ` The council's notice says: "${rule.text}"`;
    return `${this.disclosure}: relies on the ${exemption} exemption (DPA 2018 Schedule 2); every reliance on an exemption goes to the DPO for review.${named}`;
  }
}

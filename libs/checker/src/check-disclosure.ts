import {
  CRIMINAL_OFFENCE_CATEGORIES,
  DEFAULT_CONTROLLER,
  DEFAULT_COUNTRY,
  SPECIAL_CATEGORIES,
  type DisclosureEvent,
} from '#libs/contracts';
import {
  recipientKey,
  type IndexedNotice,
  type LineCondition,
  type Register,
  type RegisterVersion,
  type ResolvedRecipient,
} from '#libs/register';
import { EEA_COUNTRIES } from './eea.js';
import { DisclosureDescription } from './messages.js';
import { FLAG_ORDER, FlagCode, severityOf, type CheckResult, type Flag } from './verdict.js';

const DAY_MS = 86_400_000;
const MARKETING_WORDING = /marketing|promotion/i;

/** How one applicable notice fares against an event (spec sections 5 and 6). */
interface Assessment {
  notice: IndexedNotice;
  isOwn: boolean;
  order: number;
  hasPurpose: boolean;
  hasRecipient: boolean;
  hasBasis: boolean;
  /** undefined when the notice lists no data categories. */
  categoriesListed: boolean | undefined;
  points: number;
  covered: boolean;
}

/**
 * Judges one valid disclosure event against the register version in force at its `occurredAt`.
 * Pure and deterministic: the same event and register always give the same result.
 */
export function checkDisclosure(event: DisclosureEvent, register: Register): CheckResult {
  const occurredMs = Date.parse(event.occurredAt);
  const version = register.versionAt(occurredMs);
  const controller = event.controller ?? DEFAULT_CONTROLLER;
  const purposeCode = register.resolvePurpose(event.purpose);
  const recipient = register.resolveRecipient(event.recipient, controller);
  const recipientId = recipientKey(recipient);
  const describe = new DisclosureDescription(event, register, version, recipient, controller);
  const flags = new Map<FlagCode, string>();

  const ownNotice = version?.serviceAreaNotice(controller, event.source.serviceArea);
  const councilWide =
    version && register.controllerName(controller) ? version.councilWideNotices(controller) : [];
  let checkedAgainst: IndexedNotice | undefined;

  if (ownNotice === undefined) {
    flags.set(FlagCode.NOTICE_UNKNOWN, describe.noticeUnknown(controller));
  } else {
    const assessments = [ownNotice, ...councilWide].map((notice, order) =>
      assess(notice, order, event, purposeCode, recipientId),
    );
    // Spec section 7: a condition the service's own notice attaches to a line the event matches applies whichever
    // notice covers the event.
    addConditionFlags(
      flags,
      unmetConditions(ownNotice, event, purposeCode, recipientId),
      ownNotice,
      describe,
    );
    const covering = assessments.filter((assessment) => assessment.covered);
    if (covering.length > 0) {
      const chosen =
        covering.find(
          (assessment) => unmetConditions(assessment.notice, event, purposeCode, recipientId).length === 0,
        ) ?? covering[0];
      checkedAgainst = chosen.notice;
      addConditionFlags(
        flags,
        unmetConditions(chosen.notice, event, purposeCode, recipientId),
        chosen.notice,
        describe,
      );
    } else {
      const closest = [...assessments].sort(closestFirst)[0];
      checkedAgainst = closest.notice;
      if (!closest.hasPurpose)
        flags.set(FlagCode.PURPOSE_NOT_IN_NOTICE, describe.purposeNotInNotice(closest.notice));
      if (recipientId !== undefined && !closest.hasRecipient) {
        flags.set(FlagCode.RECIPIENT_NOT_IN_NOTICE, describe.recipientNotInNotice(closest.notice));
      }
      if (!closest.hasBasis)
        flags.set(FlagCode.LAWFUL_BASIS_NOT_IN_NOTICE, describe.basisNotInNotice(closest.notice));
      if (closest.categoriesListed === false) {
        flags.set(FlagCode.DATA_CATEGORY_NOT_IN_NOTICE, describe.categoriesNotInNotice(closest.notice));
      }
      addConditionFlags(
        flags,
        unmetConditions(closest.notice, event, purposeCode, recipientId),
        closest.notice,
        describe,
      );
    }
  }

  if (recipientId === undefined) flags.set(FlagCode.RECIPIENT_UNKNOWN, describe.recipientUnknown());
  checkSpecialCategories(flags, event, describe);
  checkTransfer(flags, event, register, occurredMs, describe);
  checkRetention(
    flags,
    event,
    ownNotice ? [ownNotice, ...councilWide] : councilWide,
    purposeCode,
    occurredMs,
    describe,
  );
  checkMarketing(flags, event, register, purposeCode, recipient, describe);
  const exemption = event.safeguards?.exemption;
  if (exemption !== undefined) {
    flags.set(
      FlagCode.EXEMPTION_CLAIMED,
      describe.exemptionClaimed(exemption, register.data.exemptions[exemption]),
    );
    if (register.exemptionFits(exemption, recipient)) flags.delete(FlagCode.RECIPIENT_NOT_IN_NOTICE);
  }

  return {
    verdict: flags.size === 0 ? 'compliant' : 'flagged',
    flags: orderedFlags(flags),
    notice: checkedAgainst?.edition.code ?? null,
    registerVersion: version ? registerVersionRef(version) : null,
  };
}

function registerVersionRef(version: RegisterVersion): { id: string; contentHash: string } {
  return { id: version.id, contentHash: version.contentHash };
}

function assess(
  notice: IndexedNotice,
  order: number,
  event: DisclosureEvent,
  purposeCode: string | undefined,
  recipientId: string | undefined,
): Assessment {
  const hasPurpose = purposeCode !== undefined && notice.purposeLines.has(purposeCode);
  const hasRecipient = recipientId !== undefined && notice.recipientLines.has(recipientId);
  const hasBasis = notice.bases.has(event.lawfulBasis.article6);
  const listed = notice.dataCategories;
  const categoriesListed = listed
    ? event.dataCategories.every((category) => listed.has(category))
    : undefined;
  return {
    notice,
    isOwn: order === 0,
    order,
    hasPurpose,
    hasRecipient,
    hasBasis,
    categoriesListed,
    points: Number(hasPurpose) + Number(hasRecipient) + Number(hasBasis) + Number(categoriesListed === true),
    covered: hasPurpose && hasRecipient && hasBasis && categoriesListed !== false,
  };
}

/** Spec section 6: most points, then the service area's own notice, then one that has the purpose, then table order. */
function closestFirst(a: Assessment, b: Assessment): number {
  return (
    b.points - a.points ||
    Number(b.isOwn) - Number(a.isOwn) ||
    Number(b.hasPurpose) - Number(a.hasPurpose) ||
    a.order - b.order
  );
}

/**
 * The conditions of the notice's lines that match the event and are not met. A side (purpose or recipient) needs
 * nothing when any of its matching lines is unconditional or has its condition met.
 */
function unmetConditions(
  notice: IndexedNotice,
  event: DisclosureEvent,
  purposeCode: string | undefined,
  recipientId: string | undefined,
): LineCondition[] {
  const sides = [
    purposeCode !== undefined ? (notice.purposeLines.get(purposeCode) ?? []) : [],
    recipientId !== undefined ? (notice.recipientLines.get(recipientId) ?? []) : [],
  ];
  const unmet = new Set<LineCondition>();
  for (const lines of sides) {
    if (lines.length === 0) continue;
    if (lines.some((line) => line.condition === undefined || conditionMet(line.condition, event))) continue;
    for (const line of lines) if (line.condition) unmet.add(line.condition);
  }
  return [...unmet];
}

function conditionMet(condition: LineCondition, event: DisclosureEvent): boolean {
  const safeguards = event.safeguards;
  const consented = safeguards?.consentRef !== undefined;
  const deidentified = safeguards?.pseudonymised === true || safeguards?.anonymised === true;
  switch (condition) {
    case 'consent':
      return consented;
    case 'pseudonymised':
      return deidentified;
    case 'consent-or-deidentified':
      return consented || deidentified;
  }
}

function addConditionFlags(
  flags: Map<FlagCode, string>,
  unmet: LineCondition[],
  notice: IndexedNotice,
  describe: DisclosureDescription,
): void {
  // The first notice to raise a flag keeps its message: the service's own notice, which made the promise.
  for (const condition of unmet) {
    switch (condition) {
      case 'consent':
      case 'consent-or-deidentified':
        if (!flags.has(FlagCode.CONSENT_REQUIRED)) {
          flags.set(FlagCode.CONSENT_REQUIRED, describe.consentRequired(notice, condition));
        }
        break;
      case 'pseudonymised':
        if (!flags.has(FlagCode.PSEUDONYMISATION_REQUIRED)) {
          flags.set(FlagCode.PSEUDONYMISATION_REQUIRED, describe.pseudonymisationRequired(notice));
        }
        break;
    }
  }
}

function checkSpecialCategories(
  flags: Map<FlagCode, string>,
  event: DisclosureEvent,
  describe: DisclosureDescription,
) {
  if (event.lawfulBasis.specialCondition !== undefined) return;
  const sensitive = event.dataCategories.filter(
    (category) => SPECIAL_CATEGORIES.has(category) || CRIMINAL_OFFENCE_CATEGORIES.has(category),
  );
  if (sensitive.length > 0)
    flags.set(FlagCode.SPECIAL_CATEGORY_NO_CONDITION, describe.specialCategoryNoCondition(sensitive));
}

function checkTransfer(
  flags: Map<FlagCode, string>,
  event: DisclosureEvent,
  register: Register,
  occurredMs: number,
  describe: DisclosureDescription,
): void {
  const country = (event.recipient.country ?? DEFAULT_COUNTRY).toUpperCase();
  if (country === DEFAULT_COUNTRY || EEA_COUNTRIES.has(country)) return;
  if (event.safeguards?.transferMechanism !== undefined) return;
  const adequacy = register.adequacyOf(country);
  const adequate = adequacy?.scope === 'full' && Date.parse(`${adequacy.from}T00:00:00Z`) <= occurredMs;
  if (!adequate) flags.set(FlagCode.TRANSFER_NO_SAFEGUARD, describe.transferNoSafeguard(country, adequacy));
}

function checkRetention(
  flags: Map<FlagCode, string>,
  event: DisclosureEvent,
  applicable: readonly IndexedNotice[],
  purposeCode: string | undefined,
  occurredMs: number,
  describe: DisclosureDescription,
): void {
  if (event.collectedAt === undefined || purposeCode === undefined) return;
  const collectedMs = Date.parse(event.collectedAt);
  for (const notice of applicable) {
    const days = notice.edition.retention?.days;
    if (days === undefined || !notice.purposeLines.has(purposeCode)) continue;
    if (collectedMs + days * DAY_MS < occurredMs) {
      flags.set(FlagCode.RETENTION_EXCEEDED, describe.retentionExceeded(notice, days));
      return;
    }
  }
}

function checkMarketing(
  flags: Map<FlagCode, string>,
  event: DisclosureEvent,
  register: Register,
  purposeCode: string | undefined,
  recipient: ResolvedRecipient,
  describe: DisclosureDescription,
): void {
  const marketing =
    MARKETING_WORDING.test(event.purpose) ||
    (purposeCode !== undefined &&
      register.wordingsOfPurpose(purposeCode).some((wording) => MARKETING_WORDING.test(wording)));
  if (!marketing || event.safeguards?.consentRef !== undefined) return;
  if (recipient.kind !== 'internal')
    flags.set(FlagCode.MARKETING_WITHOUT_CONSENT, describe.marketingWithoutConsent());
}

function orderedFlags(flags: Map<FlagCode, string>): Flag[] {
  return FLAG_ORDER.flatMap((code) => {
    const message = flags.get(code);
    return message === undefined ? [] : [{ code, severity: severityOf(code), message }];
  });
}

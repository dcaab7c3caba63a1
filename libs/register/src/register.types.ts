import type { Article6Basis, DataCategory, Exemption } from '#libs/contracts';

export const NOTICE_KINDS = ['service-area', 'council-wide', 'reference'] as const;
/** `reference` notices are recorded for completeness and the Art 30 record; the checker never applies them. */
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const LINE_CONDITIONS = ['consent', 'pseudonymised', 'consent-or-deidentified'] as const;
/**
 * A condition a notice line attaches: `consent` ("with consent"), `pseudonymised` ("pseudonymised or anonymised"),
 * `consent-or-deidentified` (004: "either directly ask for your consent or use data that does not directly identify you").
 */
export type LineCondition = (typeof LINE_CONDITIONS)[number];

export interface Controller {
  code: string;
  name: string;
  /** Other names of the council as a whole ("the Council", "other parts of the council"). */
  aliases: string[];
}

/** One of a controller's own services that the notices name (spec section 7), e.g. "adult social care". */
export interface CouncilService {
  id: string;
  controller: string;
  name: string;
  aliases: string[];
  /** True for the council's enforcement services (Trading Standards), which "enforcement agencies" lines cover. */
  enforcement: boolean;
}

export const COUNCIL_SERVICE_SCOPES = ['all', 'enforcement'] as const;
/**
 * How a recipient line names the council's own services in general: `all` ("internal Council departments",
 * joined-up services' "services within the council") covers any internal recipient; `enforcement` ("internal/external
 * enforcement agencies") covers the services marked `enforcement`.
 */
export type CouncilServiceScope = (typeof COUNCIL_SERVICE_SCOPES)[number];

/** A passage of a source notice that the checker does not apply, kept so that a DPO can read it with the notice. */
export interface NoticeNote {
  topic: string;
  text: string;
  source: SourceRef;
}

export interface PurposeLine {
  text: string;
  code: string;
  aliases: string[];
  condition?: LineCondition;
}

export interface BasisLine {
  text: string;
  article6: Article6Basis[];
}

export interface RecipientLine {
  text: string;
  /** The recipient the line's head names: a category, or an organisation when the head is one. */
  head: string;
  /** Organisations and categories named inside the line. */
  names: string[];
  /**
   * Named organisations that the line also makes members of a category its wording names, e.g. DHSC in
   * "government departments and agencies - DWP, DHSC, DLHUC" is a government department.
   */
  memberships: Record<string, string[]>;
  /** Particular services of the notice's controller that the line names ("children’s social care"). */
  services: string[];
  /** Set when the line names the council's own services in general. */
  councilServices?: CouncilServiceScope;
  condition?: LineCondition;
}

export interface Retention {
  text: string;
  days?: number;
}

export interface SourceRef {
  file: string;
  section: string;
}

/** One edition of one notice, as its YAML file states it. */
export interface NoticeEdition {
  code: string;
  controller: string;
  kind: NoticeKind;
  title: string;
  aliases: string[];
  effectiveFrom: string;
  effectiveTo?: string;
  sources: SourceRef[];
  purposes: PurposeLine[];
  lawfulBases: BasisLine[];
  recipients: RecipientLine[];
  dataCategories?: DataCategory[];
  retention?: Retention;
  notes: NoticeNote[];
  /** The register file it was loaded from, relative to the register directory. */
  file: string;
}

export type RecipientKind = 'organisation' | 'category';

export interface Recipient {
  id: string;
  name: string;
  kind: RecipientKind;
  aliases: string[];
  /** The categories under which some notice line names this recipient. */
  memberOf: string[];
}

export interface AdequacyEntry {
  country: string;
  name: string;
  from: string;
  /** `partial`: the UK regulations cover only some recipients there, so a transfer needs a transferMechanism. */
  scope: 'full' | 'partial';
  note?: string;
}

export interface ExemptionRule {
  /** Recipient ids the exemption fits, or `any`. */
  recipients: string[] | 'any';
  source: string;
  text: string;
}

/** Everything the register files say, validated, before it is indexed for checking. */
export interface RegisterData {
  name: string;
  controllers: Controller[];
  services: CouncilService[];
  exemptions: Partial<Record<Exemption, ExemptionRule>>;
  notices: NoticeEdition[];
  organisations: { id: string; name: string; aliases: string[] }[];
  categoryAliases: { id: string; aliases: string[] }[];
  adequacy: AdequacyEntry[];
}

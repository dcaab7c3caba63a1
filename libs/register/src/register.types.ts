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

/** The recipient every `internal: true` disclosure resolves to: the council's own services. */
export const COUNCIL_SERVICES = 'council-services';

export interface Controller {
  code: string;
  name: string;
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
  condition?: LineCondition;
  councilServices: boolean;
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
  /** The register file it was loaded from, relative to the register directory. */
  file: string;
}

export type RecipientKind = 'organisation' | 'category' | 'council-services';

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
  exemptions: Partial<Record<Exemption, ExemptionRule>>;
  notices: NoticeEdition[];
  organisations: { id: string; name: string; aliases: string[] }[];
  categoryAliases: { id: string; aliases: string[] }[];
  adequacy: AdequacyEntry[];
}

import type {
  Article6Basis,
  DataCategory,
  Exemption,
  SpecialCondition,
  SubjectKind,
  TransferMechanism,
} from './codes.js';

/**
 * A disclosure event as it reaches the checker: already validated against contract v1,
 * with `null` optional fields normalised to `undefined`.
 */
export interface DisclosureEvent {
  eventId: string;
  occurredAt: string;
  controller?: string;
  source: { system: string; serviceArea: string };
  actor?: { id?: string; role?: string };
  subject: { ref: string; kind?: SubjectKind };
  dataCategories: DataCategory[];
  purpose: string;
  lawfulBasis: {
    article6: Article6Basis;
    legislation?: string;
    specialCondition?: SpecialCondition;
  };
  recipient: {
    id?: string;
    name: string;
    category?: string;
    country?: string;
    internal?: boolean;
  };
  safeguards?: {
    pseudonymised?: boolean;
    anonymised?: boolean;
    consentRef?: string;
    sharingAgreementRef?: string;
    transferMechanism?: TransferMechanism;
    exemption?: Exemption;
  };
  collectedAt?: string;
  recordCount?: number;
}

/** Spec section 5: the flag codes, in the order flags are reported. */
export enum FlagCode {
  NOTICE_UNKNOWN = 'NOTICE_UNKNOWN',
  PURPOSE_NOT_IN_NOTICE = 'PURPOSE_NOT_IN_NOTICE',
  RECIPIENT_NOT_IN_NOTICE = 'RECIPIENT_NOT_IN_NOTICE',
  RECIPIENT_UNKNOWN = 'RECIPIENT_UNKNOWN',
  LAWFUL_BASIS_NOT_IN_NOTICE = 'LAWFUL_BASIS_NOT_IN_NOTICE',
  DATA_CATEGORY_NOT_IN_NOTICE = 'DATA_CATEGORY_NOT_IN_NOTICE',
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  PSEUDONYMISATION_REQUIRED = 'PSEUDONYMISATION_REQUIRED',
  SPECIAL_CATEGORY_NO_CONDITION = 'SPECIAL_CATEGORY_NO_CONDITION',
  TRANSFER_NO_SAFEGUARD = 'TRANSFER_NO_SAFEGUARD',
  RETENTION_EXCEEDED = 'RETENTION_EXCEEDED',
  MARKETING_WITHOUT_CONSENT = 'MARKETING_WITHOUT_CONSENT',
  EXEMPTION_CLAIMED = 'EXEMPTION_CLAIMED',
}

export type Severity = 'high' | 'medium' | 'low';

export function severityOf(code: FlagCode): Severity {
  switch (code) {
    case FlagCode.RECIPIENT_UNKNOWN:
    case FlagCode.DATA_CATEGORY_NOT_IN_NOTICE:
      return 'medium';
    case FlagCode.EXEMPTION_CLAIMED:
      return 'low';
    case FlagCode.NOTICE_UNKNOWN:
    case FlagCode.PURPOSE_NOT_IN_NOTICE:
    case FlagCode.RECIPIENT_NOT_IN_NOTICE:
    case FlagCode.LAWFUL_BASIS_NOT_IN_NOTICE:
    case FlagCode.CONSENT_REQUIRED:
    case FlagCode.PSEUDONYMISATION_REQUIRED:
    case FlagCode.SPECIAL_CATEGORY_NO_CONDITION:
    case FlagCode.TRANSFER_NO_SAFEGUARD:
    case FlagCode.RETENTION_EXCEEDED:
    case FlagCode.MARKETING_WITHOUT_CONSENT:
      return 'high';
  }
}

export const FLAG_ORDER: readonly FlagCode[] = Object.values(FlagCode);

export interface Flag {
  code: FlagCode;
  severity: Severity;
  message: string;
}

export type VerdictKind = 'compliant' | 'flagged' | 'rejected';

/** The checker's judgement of one valid event. */
export interface CheckResult {
  verdict: Exclude<VerdictKind, 'rejected'>;
  flags: Flag[];
  /** The code of the notice the event was checked against (covering or closest), or null when none applies. */
  notice: string | null;
  /** The register version in force at occurredAt, or null when the event predates the register. */
  registerVersion: { id: string; contentHash: string } | null;
}

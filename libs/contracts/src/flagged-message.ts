import type { DisclosureEvent } from './disclosure-event.js';

/** The flags of spec section 5, with the severity the spec gives each. */
export const FLAG_SEVERITIES = {
  NOTICE_UNKNOWN: 'high',
  PURPOSE_NOT_IN_NOTICE: 'high',
  RECIPIENT_NOT_IN_NOTICE: 'high',
  RECIPIENT_UNKNOWN: 'medium',
  LAWFUL_BASIS_NOT_IN_NOTICE: 'high',
  DATA_CATEGORY_NOT_IN_NOTICE: 'medium',
  CONSENT_REQUIRED: 'high',
  PSEUDONYMISATION_REQUIRED: 'high',
  SPECIAL_CATEGORY_NO_CONDITION: 'high',
  TRANSFER_NO_SAFEGUARD: 'high',
  RETENTION_EXCEEDED: 'high',
  MARKETING_WITHOUT_CONSENT: 'high',
  EXEMPTION_CLAIMED: 'low',
} as const;
export type FlagCode = keyof typeof FLAG_SEVERITIES;
export type FlagSeverity = (typeof FLAG_SEVERITIES)[FlagCode];
export const FLAG_CODES = Object.keys(FLAG_SEVERITIES) as FlagCode[];

export interface Flag {
  code: FlagCode;
  severity: FlagSeverity;
  /** For the DPO: what was disclosed, which notice and version it was checked against, what that notice says. */
  message: string;
}

/** The register version in force at occurredAt; contentHash lets a reader fetch exactly that register. */
export interface RegisterVersionReference {
  id: string;
  /** Hex SHA-256 of the register's content. */
  contentHash: string;
}

/** Where the disclosure sits in the tamper-evident audit trail, so a reader can verify it there. */
export interface TrailPosition {
  chain: string;
  seq: number;
  /** Hex digest of the trail entry. */
  entryHash: string;
}

/**
 * A message of the `disclosures.flagged.v1` topic (asyncapi.yaml, FlaggedDisclosure): one per flagged event,
 * key eventId, delivered at least once (consumers deduplicate on eventId).
 */
export interface FlaggedDisclosureMessage {
  eventId: string;
  verdict: 'flagged';
  flags: Flag[];
  /** Code of the notice checked against: one that covers the event, else the closest; null for NOTICE_UNKNOWN. */
  notice: string | null;
  /** Null only when the event predates the register (then NOTICE_UNKNOWN). */
  registerVersion: RegisterVersionReference | null;
  trail: TrailPosition;
  event: DisclosureEvent;
}

/**
 * Headers of a `disclosures.dlq.v1` message, whose value is the rejected message's original bytes.
 * The reasons header is a JSON array of strings.
 */
export const DLQ_HEADERS = {
  rejectReasons: 'x-reject-reasons',
  sourceTopic: 'x-source-topic',
  sourcePartition: 'x-source-partition',
  sourceOffset: 'x-source-offset',
} as const;

export interface DeadLetterOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export function deadLetterHeaders(
  reasons: readonly string[],
  origin: DeadLetterOrigin,
): Record<string, string> {
  return {
    [DLQ_HEADERS.rejectReasons]: JSON.stringify(reasons),
    [DLQ_HEADERS.sourceTopic]: origin.topic,
    [DLQ_HEADERS.sourcePartition]: String(origin.partition),
    [DLQ_HEADERS.sourceOffset]: origin.offset,
  };
}

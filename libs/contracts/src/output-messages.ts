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

/**
 * The register version the disclosure was recorded against: the one in force at occurredAt, or for an event that
 * predates the register (NOTICE_UNKNOWN) the one in force when it was recorded. contentHash lets a reader fetch
 * exactly that register.
 */
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
  /** The version the trail entry records; the schema also allows null, which this auditor never sends. */
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

/** A message ready for a Kafka producer; the topic is the deployment's, so it is not part of the message. */
export interface OutputMessage {
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
}

/** The `disclosures.flagged.v1` message (asyncapi.yaml FlaggedDisclosure) for one flagged disclosure. */
export function buildFlaggedDisclosureMessage(message: FlaggedDisclosureMessage): OutputMessage {
  const payload: FlaggedDisclosureMessage = {
    eventId: message.eventId,
    verdict: message.verdict,
    flags: message.flags,
    notice: message.notice,
    registerVersion: message.registerVersion,
    trail: message.trail,
    event: message.event,
  };
  return {
    key: Buffer.from(message.eventId, 'utf8'),
    value: Buffer.from(JSON.stringify(payload), 'utf8'),
    headers: { 'content-type': 'application/json' },
  };
}

/** The message as it was received, which a dead letter carries back unchanged. */
export interface OriginalMessage {
  key: Buffer | null;
  value: Buffer;
  headers: Readonly<Record<string, string>>;
}

/**
 * The `disclosures.dlq.v1` message (asyncapi.yaml RejectedMessage): the original key, bytes and headers, with the
 * reasons and the origin in the headers of DLQ_HEADERS (which replace any the sender set under those names).
 */
export function buildDeadLetterMessage(
  original: OriginalMessage,
  reasons: readonly string[],
  origin: DeadLetterOrigin,
): OutputMessage {
  return {
    key: original.key,
    value: original.value,
    headers: { ...original.headers, ...deadLetterHeaders(reasons, origin) },
  };
}

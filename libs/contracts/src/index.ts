export * from './codes.js';
export type { DisclosureEvent } from './disclosure-event.js';
export {
  ActorDto,
  DISCLOSURE_VALIDATOR_OPTIONS,
  DisclosureEventDto,
  LawfulBasisDto,
  RecipientDto,
  SafeguardsDto,
  SourceDto,
  SubjectDto,
} from './disclosure-event.dto.js';
export {
  capReasons,
  decodeJsonMessage,
  MAX_REPORTED_ERRORS,
  parseDisclosureMessage,
  validateDisclosure,
  type ParseResult,
} from './parse-disclosure.js';
export {
  checkCloudEventId,
  decodeKafkaEnvelope,
  parseKafkaDisclosure,
  type EnvelopeResult,
  type KafkaHeaderValue,
  type KafkaMessageLike,
  type KafkaParseResult,
  type TransportMode,
} from './cloudevents.js';
export {
  buildDeadLetterMessage,
  buildFlaggedDisclosureMessage,
  deadLetterHeaders,
  DLQ_HEADERS,
  FLAG_CODES,
  FLAG_SEVERITIES,
  type DeadLetterOrigin,
  type Flag,
  type FlagCode,
  type FlagSeverity,
  type FlaggedDisclosureMessage,
  type OutputMessage,
  type OriginalMessage,
  type RegisterVersionReference,
  type TrailPosition,
} from './output-messages.js';
export { ASYNCAPI_DOCUMENT_PATH } from './asyncapi-document.js';
export { codePointLength, isRfc3339DateTime, isStorableText, isUuid } from './formats.js';
export { COUNTRY_CODE_HINTS, ISO_3166_ALPHA2_CODES } from './iso-countries.js';
export { canonicalJson, CanonicalJsonError } from './canonical-json.js';
export { impossibleTimeErrors, MAX_OCCURRED_AHEAD_MS } from './time-consistency.js';

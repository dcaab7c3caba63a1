import { Validator, type ValidationError } from 'class-validator';
import { MAX_MESSAGE_BYTES } from './codes.js';
import { DISCLOSURE_VALIDATOR_OPTIONS, DisclosureEventDto } from './disclosure-event.dto.js';
import type { DisclosureEvent } from './disclosure-event.js';
import { isUuid } from './formats.js';
import { jsonTypeOf, showValue } from './rules.js';
import { passesAllRules, validationPlanOf, type ValidationPlan } from './validation-plan.js';

export type ParseResult =
  { ok: true; event: DisclosureEvent } | { ok: false; eventId: string | null; errors: string[] };

/** Reasons travel in a Kafka header; a message with thousands of unknown keys must not produce a header as big. */
export const MAX_REPORTED_ERRORS = 25;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const validator = new Validator();
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Bytes of a Kafka message value (or its text) → a valid contract v1 event, or every reason it is rejected.
 * Never throws.
 */
export function parseDisclosureMessage(value: Buffer | Uint8Array | string): ParseResult {
  const decoded = decodeJsonMessage(value);
  return decoded.ok ? validateDisclosure(decoded.parsed) : rejected(null, decoded.errors);
}

/** Spec section 1: at most 64 KiB of UTF-8 that parses as JSON. Whether it is an object is checked by the caller. */
export function decodeJsonMessage(
  value: Buffer | Uint8Array | string,
): { ok: true; parsed: unknown } | { ok: false; errors: string[] } {
  const size = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.byteLength;
  if (size > MAX_MESSAGE_BYTES) {
    return { ok: false, errors: [`message is ${size} bytes; the limit is ${MAX_MESSAGE_BYTES}`] };
  }
  let text: string;
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value))
      return { ok: false, errors: ['message is not valid UTF-8 (unpaired surrogate)'] };
    // TextDecoder drops a leading byte order mark from bytes (RFC 8259 lets parsers ignore it); text gets the same.
    text = value.startsWith(BYTE_ORDER_MARK) ? value.slice(1) : value;
  } else {
    try {
      text = utf8.decode(value);
    } catch {
      return { ok: false, errors: ['message is not valid UTF-8'] };
    }
  }
  try {
    return { ok: true, parsed: JSON.parse(text) };
  } catch (error) {
    return { ok: false, errors: [`message is not valid JSON: ${parserReason(error)}`] };
  }
}

/** The validation half of parseDisclosureMessage, for a value that is already parsed JSON. */
export function validateDisclosure(parsed: unknown): ParseResult {
  if (!isJsonObject(parsed)) {
    return rejected(null, [`message must be a JSON object (got ${jsonTypeOf(parsed)})`]);
  }
  const unknownFields: string[] = [];
  const plan = validationPlanOf(DisclosureEventDto);
  const { instance, plain } = instantiate(plan, parsed, '', unknownFields);
  if (unknownFields.length === 0 && passesAllRules(plan, instance)) {
    return { ok: true, event: plain as unknown as DisclosureEvent };
  }
  const validationErrors = validator.validateSync(instance, DISCLOSURE_VALIDATOR_OPTIONS);
  if (validationErrors.length === 0 && unknownFields.length === 0) {
    return { ok: true, event: plain as unknown as DisclosureEvent };
  }
  const reasons: string[] = [];
  collectReasons(validationErrors, '', reasons);
  for (const path of unknownFields) reasons.push(`${path}: unknown field`);
  return rejected(eventIdOf(parsed), reasons);
}

function rejected(eventId: string | null, reasons: string[]): ParseResult {
  return { ok: false, eventId, errors: capReasons(reasons) };
}

/** At most MAX_REPORTED_ERRORS reasons, the last saying how many more there were. */
export function capReasons(reasons: string[]): string[] {
  if (reasons.length <= MAX_REPORTED_ERRORS) return reasons;
  const shown = reasons.slice(0, MAX_REPORTED_ERRORS - 1);
  shown.push(`and ${reasons.length - shown.length} more problems`);
  return shown;
}

/** So that a dead-letter record can name the event when the rest of it is wrong. */
function eventIdOf(parsed: Record<string, unknown>): string | null {
  const eventId = Object.hasOwn(parsed, 'eventId') ? parsed.eventId : undefined;
  return typeof eventId === 'string' && isUuid(eventId) ? eventId : null;
}

/** V8 quotes the start of the input after "Unexpected token"; that may be personal data, so it is cut. */
function parserReason(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const quotedSource = reason.indexOf(', "');
  const withoutSource =
    quotedSource >= 0 && reason.endsWith('is not valid JSON') ? reason.slice(0, quotedSource) : reason;
  return withoutSource.length > 200 ? `${withoutSource.slice(0, 200)}…` : withoutSource;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

function fieldPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${showValue(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * Stands in for class-transformer's plainToInstance, which is the slowest part of the standard route and unsafe
 * on this input: it assigns every key, so a JSON `__proto__` or `constructor` key would reach the instances, and
 * it recurses into any nesting depth. Here only known properties are copied (others are reported unknown), a
 * value is descended into only where the class declares a nested object, and null is dropped (absent).
 * The plain copy, built alongside, is what a valid message returns.
 */
function instantiate(
  plan: ValidationPlan,
  source: Record<string, unknown>,
  path: string,
  unknownFields: string[],
): { instance: Record<string, unknown>; plain: Record<string, unknown> } {
  const instance = Object.create(plan.prototype) as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const property = plan.properties.get(key);
    if (property === undefined) {
      unknownFields.push(fieldPath(path, key));
      continue;
    }
    const value = source[key];
    if (value === null) continue;
    if (property.nested !== null && isJsonObject(value)) {
      const child = instantiate(property.nested, value, fieldPath(path, key), unknownFields);
      instance[key] = child.instance;
      plain[key] = child.plain;
    } else {
      instance[key] = value;
      plain[key] = value;
    }
  }
  return { instance, plain };
}

const UNKNOWN_FIELD_CONSTRAINT = 'whitelistValidation';

function collectReasons(errors: ValidationError[], parent: string, reasons: string[]): void {
  for (const error of errors) {
    const path = error.property === undefined ? parent || 'message' : fieldPath(parent, error.property);
    for (const [constraint, reason] of Object.entries(error.constraints ?? {})) {
      if (constraint === UNKNOWN_FIELD_CONSTRAINT) {
        reasons.push(`${path}: unknown field`);
        continue;
      }
      // A list rule gives one line per bad element, each starting with its `[index]`.
      for (const line of reason.split('\n'))
        reasons.push(line.startsWith('[') ? `${path}${line}` : `${path}: ${line}`);
    }
    if (error.children !== undefined) collectReasons(error.children, path, reasons);
  }
}

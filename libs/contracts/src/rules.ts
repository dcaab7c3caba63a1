import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsObject, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';
import { codePointLength, isRfc3339DateTime, isStorableText, isUuid } from './formats.js';
import { COUNTRY_CODE_HINTS, ISO_3166_ALPHA2_CODES } from './iso-countries.js';

/**
 * The building blocks of the contract's class-validator rules. Each rule is one constraint that checks type and
 * content together, so that its reason is precise whatever order class-validator runs the constraints in.
 *
 * Reasons end up in dead-letter headers and the audit trail. They quote a rejected value only where it is a code
 * (an enum value, an id, a date), never free text, and then shortened.
 */

const SHOWN_CODE_POINTS = 40;

/** JSON-quoted and shortened. `$` is escaped because class-validator expands `$value`-style tokens in reasons. */
export function showValue(value: string): string {
  const codePoints = Array.from(value);
  const shown =
    codePoints.length > SHOWN_CODE_POINTS ? `${codePoints.slice(0, SHOWN_CODE_POINTS).join('')}…` : value;
  return JSON.stringify(shown).replace(/\$/g, '\\u0024');
}

export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export const REQUIRED = 'is required';

export function mustBe(what: string): (args: ValidationArguments) => string {
  return (args) => `must be ${what} (got ${jsonTypeOf(args.value)})`;
}

function textProblem(value: unknown, minLength: number, maxLength: number): string | undefined {
  if (typeof value !== 'string') return `must be a string (got ${jsonTypeOf(value)})`;
  if (!isStorableText(value))
    return 'must not contain U+0000 or an unpaired surrogate (\\u0000, \\ud800 escapes)';
  if (value.length >= minLength && value.length <= maxLength) return undefined;
  const length = codePointLength(value);
  if (length >= minLength && length <= maxLength) return undefined;
  if (maxLength === Infinity) return `must be at least ${minLength} characters long (got ${length})`;
  return `must be ${minLength} to ${maxLength} characters long (got ${length})`;
}

/** Free text. Lengths are counted in code points, as JSON Schema counts them. */
export function IsText(length: { min?: number; max?: number } = {}): PropertyDecorator {
  const minLength = length.min ?? 0;
  const maxLength = length.max ?? Infinity;
  return ValidateBy({
    name: 'isText',
    constraints: [minLength, maxLength],
    validator: {
      validate: (value) => textProblem(value, minLength, maxLength) === undefined,
      defaultMessage: (args) => textProblem(args?.value, minLength, maxLength) ?? '',
    },
  });
}

export function IsUuid(): PropertyDecorator {
  return ValidateBy({
    name: 'isUuid',
    validator: {
      validate: (value) => typeof value === 'string' && isUuid(value),
      defaultMessage: (args) =>
        typeof args?.value === 'string'
          ? `${showValue(args.value)} is not a UUID (8-4-4-4-12 hexadecimal digits)`
          : `must be a UUID string (got ${jsonTypeOf(args?.value)})`,
    },
  });
}

export function IsDateTime(): PropertyDecorator {
  return ValidateBy({
    name: 'isDateTime',
    validator: {
      validate: (value) => typeof value === 'string' && isRfc3339DateTime(value),
      defaultMessage: (args) =>
        typeof args?.value === 'string'
          ? `${showValue(args.value)} is not an RFC 3339 date-time with a zone offset (e.g. 2026-10-01T10:00:00Z)`
          : `must be an RFC 3339 date-time string (got ${jsonTypeOf(args?.value)})`,
    },
  });
}

function codeProblem(value: unknown, codes: ReadonlySet<string>, noun: string): string | undefined {
  if (typeof value !== 'string') return `must be a ${noun} code (got ${jsonTypeOf(value)})`;
  if (codes.has(value)) return undefined;
  return `${showValue(value)} is not a ${noun} (one of ${[...codes].join(', ')})`;
}

/** A value from one of the fixed lists of spec sections 2 and 3. */
export function IsCode(list: readonly string[], noun: string): PropertyDecorator {
  const codes = new Set(list);
  return ValidateBy({
    name: 'isCode',
    constraints: [noun],
    validator: {
      validate: (value) => typeof value === 'string' && codes.has(value),
      defaultMessage: (args) => codeProblem(args?.value, codes, noun) ?? '',
    },
  });
}

/**
 * A non-empty array of codes. A reason line per bad element, each starting with `[index]`, so that the
 * error path names the element (see `disclosureErrors`).
 */
export function IsCodeList(list: readonly string[], noun: string): PropertyDecorator {
  const codes = new Set(list);
  return ValidateBy({
    name: 'isCodeList',
    constraints: [noun],
    validator: {
      validate: (value) =>
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((element) => typeof element === 'string' && codes.has(element)),
      defaultMessage: (args) => {
        const value: unknown = args?.value;
        if (!Array.isArray(value)) return `must be an array of ${noun} codes (got ${jsonTypeOf(value)})`;
        if (value.length === 0) return `must name at least one ${noun}`;
        return value
          .map((element: unknown, index) => {
            const problem = codeProblem(element, codes, noun);
            return problem === undefined ? undefined : `[${index}]: ${problem}`;
          })
          .filter((line) => line !== undefined)
          .join('\n');
      },
    },
  });
}

/** Upper case only: codes are compared as sent, and a lower-case code would slip past the adequacy list. */
export function IsCountryCode(): PropertyDecorator {
  return ValidateBy({
    name: 'isCountryCode',
    validator: {
      validate: (value) => typeof value === 'string' && ISO_3166_ALPHA2_CODES.has(value),
      defaultMessage: (args) => {
        const value: unknown = args?.value;
        if (typeof value !== 'string')
          return `must be an ISO 3166-1 alpha-2 country code (got ${jsonTypeOf(value)})`;
        const notIso = `${showValue(value)} is not an ISO 3166-1 alpha-2 country code`;
        const hint = COUNTRY_CODE_HINTS.get(value.toUpperCase());
        if (hint !== undefined) return `${notIso} (use ${hint.code} for ${hint.country})`;
        if (ISO_3166_ALPHA2_CODES.has(value.toUpperCase()))
          return `${notIso} (codes are upper case: ${value.toUpperCase()})`;
        return notIso;
      },
    },
  });
}

type DtoClass = new () => object;

const nestedTypes = new WeakMap<object, Map<string, () => DtoClass>>();

/**
 * A nested object of the event. One decorator so that the class-transformer type, the nested validation and the
 * fast instantiation in parse-disclosure.ts can never disagree about which class a property holds.
 */
export function NestedObject(typeFunction: () => DtoClass): PropertyDecorator {
  const objectCheck = IsObject({ message: mustBe('an object') });
  const nestedCheck = ValidateNested();
  const transformerType = Type(typeFunction);
  return (target, propertyKey) => {
    objectCheck(target, propertyKey);
    nestedCheck(target, propertyKey);
    transformerType(target, propertyKey);
    let properties = nestedTypes.get(target.constructor);
    if (properties === undefined) {
      properties = new Map();
      nestedTypes.set(target.constructor, properties);
    }
    properties.set(String(propertyKey), typeFunction);
  };
}

export function nestedTypeOf(dto: DtoClass, property: string): DtoClass | undefined {
  return nestedTypes.get(dto)?.get(property)?.();
}

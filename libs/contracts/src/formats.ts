/**
 * String formats of contract v1. The JSON Schema for publishers uses the same pattern sources
 * (disclosure-event.schema.spec.ts holds them equal), so the two cannot drift apart.
 */

/** Any UUID version, canonical 8-4-4-4-12 form; hex digits in either case (RFC 9562 reads them case-insensitively). */
export const UUID_PATTERN = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * RFC 3339 `date-time` (section 5.6): the offset is mandatory, T and Z may be lower case as the RFC allows.
 * A leap second (:60) is refused because JavaScript dates cannot hold it, and every consumer compares dates.
 * The pattern bounds months and days; whether the day exists in that month is checked in code.
 */
export const RFC3339_DATE_TIME_PATTERN =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * Text PostgreSQL can store: no NUL and no unpaired UTF-16 surrogate. JSON escapes (\u0000, \ud800) can smuggle both
 * past a UTF-8 check, and either would make the audit trail's insert fail for good.
 */
export const STORABLE_TEXT_PATTERN = /^[^\u0000\uD800-\uDFFF]*$/u;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function isRfc3339DateTime(value: string): boolean {
  const match = RFC3339_DATE_TIME_PATTERN.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const lastDay = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  return day <= lastDay;
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export function isStorableText(value: string): boolean {
  return STORABLE_TEXT_PATTERN.test(value);
}

/** Length in Unicode code points, as JSON Schema's minLength/maxLength count it. */
export function codePointLength(value: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs++;
        i++;
      }
    }
  }
  return value.length - surrogatePairs;
}

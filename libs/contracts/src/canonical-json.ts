/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * The audit trail's hashes are computed over this form so that a regulator can recompute them with any
 * conforming JCS implementation, in any language. Input must be I-JSON (RFC 7493): finite numbers, well-formed
 * Unicode strings, plain objects and arrays. Anything else is refused rather than silently coerced, because a
 * coercion that differs between implementations would make an honest trail fail verification.
 */

export class CanonicalJsonError extends TypeError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot canonicalise ${path}: ${reason}`);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  return new Canonicaliser().serialise(value);
}

/**
 * Holds the path to the value being written as a stack of segments, so that the text of a path is only built
 * when something is refused; building it for every member made hashing several times slower.
 */
class Canonicaliser {
  private readonly path: (string | number)[] = [];
  private readonly ancestors = new Set<object>();

  serialise(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return quoteString(value, this);
      case 'number':
        if (!Number.isFinite(value)) throw this.refuse(`${value} is not a JSON number`);
        return formatNumber(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        if (value === null) return 'null';
        return this.serialiseContainer(value);
      case 'undefined':
      case 'bigint':
      case 'symbol':
      case 'function':
        throw this.refuse(`a ${typeof value} has no JSON form`);
    }
  }

  refuse(reason: string): CanonicalJsonError {
    let text = '$';
    for (const segment of this.path) text += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
    return new CanonicalJsonError(text, reason);
  }

  private serialiseContainer(value: object): string {
    if (this.ancestors.has(value)) throw this.refuse('the value refers to itself');
    this.ancestors.add(value);
    try {
      if (Array.isArray(value)) return this.serialiseArray(value as unknown[]);
      if (!isPlainObject(value)) {
        // Dates, Buffers, Maps and class instances have no single agreed JSON form; callers convert them first.
        throw this.refuse('only plain objects and arrays are accepted');
      }
      return this.serialiseObject(value as Record<string, unknown>);
    } finally {
      this.ancestors.delete(value);
    }
  }

  private serialiseArray(items: unknown[]): string {
    let out = '[';
    for (let index = 0; index < items.length; index++) {
      this.path.push(index);
      out += (index === 0 ? '' : ',') + this.serialise(items[index]);
      this.path.pop();
    }
    return `${out}]`;
  }

  private serialiseObject(object: Record<string, unknown>): string {
    // JSON.stringify drops undefined members; doing the same keeps a value and its JSON round trip hashing alike.
    const keys = Object.keys(object).filter((key) => object[key] !== undefined);
    keys.sort(compareUtf16CodeUnits);
    let out = '{';
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index];
      this.path.push(key);
      out += `${index === 0 ? '' : ','}${quoteString(key, this)}:${this.serialise(object[key])}`;
      this.path.pop();
    }
    return `${out}}`;
  }
}

/**
 * A plain object from any realm: objects made by structuredClone, a vm context or a worker have another realm's
 * Object.prototype, which is still a prototype with no prototype of its own.
 */
function isPlainObject(value: object): boolean {
  if (Object.prototype.toString.call(value) !== '[object Object]') return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** RFC 8785 section 3.2.3: member names are ordered by their UTF-16 code units, not by code points or locale. */
export function compareUtf16CodeUnits(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = left.charCodeAt(index) - right.charCodeAt(index);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/**
 * RFC 8785 section 3.2.2.3 prescribes the ECMAScript Number-to-String algorithm (shortest round-tripping digits,
 * exponent form outside 1e-7 .. 1e21). JavaScript's own number formatting is that algorithm, so using it here is
 * the reference behaviour rather than an approximation of it.
 */
function formatNumber(value: number): string {
  if (value === 0) return '0'; // also folds -0, which ECMAScript prints as "0"
  return String(value);
}

const NEEDS_ESCAPE_OR_CHECK = /[\u0000-\u001f"\\\ud800-\udfff]/;

const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x08, '\\b'],
  [0x09, '\\t'],
  [0x0a, '\\n'],
  [0x0c, '\\f'],
  [0x0d, '\\r'],
  [0x22, '\\"'],
  [0x5c, '\\\\'],
]);

/**
 * RFC 8785 section 3.2.2.2: only the quote, the backslash and C0 controls are escaped; the two-character forms are
 * used where JSON has them and \u00xx (lower-case hex) otherwise. Every other character, including non-ASCII and
 * U+2028/U+2029, is written as itself.
 */
function quoteString(text: string, context: Canonicaliser): string {
  if (!NEEDS_ESCAPE_OR_CHECK.test(text)) return `"${text}"`;
  let out = '"';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const shortEscape = SHORT_ESCAPES.get(unit);
    if (shortEscape !== undefined) {
      out += shortEscape;
    } else if (unit < 0x20) {
      out += `\\u${unit.toString(16).padStart(4, '0')}`;
    } else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        throw context.refuse('the string holds an unpaired UTF-16 surrogate');
      }
      out += text[index] + text[index + 1];
      index++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      throw context.refuse('the string holds an unpaired UTF-16 surrogate');
    } else {
      out += text[index];
    }
  }
  return `${out}"`;
}

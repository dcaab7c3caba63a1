/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the byte-exact form that the audit trail's hashes and the register's
 * content hash are computed over, so that anyone can recompute them with any conforming JCS implementation.
 *
 * JCS serialises strings and numbers exactly as ECMAScript's JSON.stringify does; what it adds is object keys sorted
 * by their UTF-16 code units (JavaScript's default string sort) and no white space.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot represent the number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return canonicalJson((value as { toJSON: () => unknown }).toJSON());
      }
      const entries = Object.keys(value)
        .sort()
        .flatMap((key) => {
          const item = (value as Record<string, unknown>)[key];
          return item === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(item)}`];
        });
      return `{${entries.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
  }
}

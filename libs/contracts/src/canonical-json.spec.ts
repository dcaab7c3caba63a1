import { canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts object keys by UTF-16 code units at every depth and drops white space', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    // "\u20ac" (€) sorts after "\r" and before the surrogate pair of an emoji by code unit.
    expect(canonicalJson({ '\u{1F600}': 1, '\u20ac': 2, '\r': 3, '1': 4 })).toBe(
      `{"\\r":3,"1":4,"\u20ac":2,"\u{1F600}":1}`,
    );
  });

  it('serialises numbers as ECMAScript does (RFC 8785 section 3.2.2.3)', () => {
    expect(canonicalJson([1e21, 1e-7, 0.000001, -0, 333333333.3333333, 4.5])).toBe(
      '[1e+21,1e-7,0.000001,0,333333333.3333333,4.5]',
    );
  });

  it('escapes strings minimally', () => {
    expect(canonicalJson('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\u0001é"');
  });

  it('omits undefined properties and refuses values JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
});

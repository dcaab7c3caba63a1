import { CanonicalJsonError, canonicalJson, compareUtf16CodeUnits } from './canonical-json.js';

/** Builds the IEEE 754 double whose bits are given in hex, as RFC 8785 appendix B lists them. */
function doubleFromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('canonicalJson (RFC 8785)', () => {
  it('reproduces the RFC 8785 section 3.2.2 example', () => {
    // The RFC's input, parsed: the number literals and string escapes are resolved by JSON.parse exactly as any
    // JSON parser would resolve them before canonicalisation.
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    ) as unknown;

    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('orders members by UTF-16 code units as in the RFC 8785 section 3.2.3 example', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };

    const output = canonicalJson(input);

    const order = ['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((key) =>
      output.indexOf(`"${key}":`),
    );
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The emoji (a surrogate pair starting 0xD83D) sorts before U+FB33 although its code point is larger.
    expect(output.indexOf('\ud83d\ude00')).toBeLessThan(output.indexOf('\ufb33'));
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serialises the IEEE 754 value %s as %s (RFC 8785 appendix B)', (bits, expected) => {
    expect(canonicalJson(doubleFromBits(bits))).toBe(expected);
  });

  it.each([
    ['NaN', '7fffffffffffffff'],
    ['Infinity', '7ff0000000000000'],
    ['-Infinity', 'fff0000000000000'],
  ])('refuses %s, which JSON cannot represent', (_name, bits) => {
    expect(() => canonicalJson({ value: doubleFromBits(bits) })).toThrow(CanonicalJsonError);
  });

  it('escapes only the quote, the backslash and C0 controls, with short forms where JSON has them', () => {
    const everyControl = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).join('');
    const expectedControls =
      '\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f' +
      '\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f';

    expect(canonicalJson(everyControl)).toBe(`"${expectedControls}"`);
    expect(canonicalJson('a"b\\c/d')).toBe('"a\\"b\\\\c/d"');
    expect(canonicalJson('\u007f\u2028\u2029é😀')).toBe('"\u007f\u2028\u2029é😀"');
  });

  it('agrees with JSON.stringify on every well-formed string it is given', () => {
    const samples = [
      '',
      'plain',
      'tab\there',
      'quote " and \\ slash',
      '\u0000\u001f\u0020',
      'ünïcödé 😀 \u2028',
    ];
    for (const sample of samples) {
      expect(canonicalJson(sample)).toBe(JSON.stringify(sample));
    }
  });

  it('refuses unpaired surrogates, which I-JSON forbids', () => {
    expect(() => canonicalJson('\ud800')).toThrow(CanonicalJsonError);
    expect(() => canonicalJson('a\udc00b')).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ ['\ud83d']: 1 })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson('\ude00\ud83d')).toThrow(CanonicalJsonError);
  });

  it('writes no white space and keeps array order', () => {
    expect(canonicalJson({ b: [3, 1, 2], a: { d: true, c: null } })).toBe(
      '{"a":{"c":null,"d":true},"b":[3,1,2]}',
    );
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('gives the same text for the same value whatever the member order or formatting of its source', () => {
    const first = JSON.parse('{"x": 1.50, "y": {"b": "2", "a": [1e2]}}') as unknown;
    const second = JSON.parse('{"y":{"a":[100],"b":"2"},"x":1.5}') as unknown;

    expect(canonicalJson(first)).toBe(canonicalJson(second));
  });

  it('drops undefined members like JSON.stringify, so a value and its JSON round trip canonicalise alike', () => {
    const value = { kept: 1, dropped: undefined };

    expect(canonicalJson(value)).toBe('{"kept":1}');
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it('refuses values that have no single JSON form, naming where they are', () => {
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/\$\.when/);
    expect(() => canonicalJson([1, undefined])).toThrow(/\$\[1\]/);
    expect(() => canonicalJson({ n: 10n })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(Buffer.from('x'))).toThrow(CanonicalJsonError);
    const looped: Record<string, unknown> = {};
    looped.self = looped;
    expect(() => canonicalJson(looped)).toThrow(/refers to itself/);
  });

  it('accepts plain objects from another realm and without a prototype', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('({ b: [1], a: { c: null } })') as unknown;
    const bare = Object.assign(Object.create(null) as object, { b: 1, a: 2 });

    expect(canonicalJson(foreign)).toBe('{"a":{"c":null},"b":[1]}');
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
    expect(() =>
      canonicalJson(
        new (class Point {
          x = 1;
        })(),
      ),
    ).toThrow(CanonicalJsonError);
  });

  it('accepts the same object twice when it is shared rather than cyclic', () => {
    const shared = { a: 1 };

    expect(canonicalJson({ left: shared, right: shared })).toBe('{"left":{"a":1},"right":{"a":1}}');
  });

  it('compares by UTF-16 code units, not by code points', () => {
    expect(compareUtf16CodeUnits('\ud83d\ude00', '\ufb33')).toBeLessThan(0);
    expect(compareUtf16CodeUnits('a', 'ab')).toBeLessThan(0);
    expect(compareUtf16CodeUnits('B', 'a')).toBeLessThan(0);
    expect(compareUtf16CodeUnits('same', 'same')).toBe(0);
  });
});

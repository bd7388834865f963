import { describe, expect, it } from 'vitest';
import { readJson } from './json-reader.js';

const none = new Set<string>();

describe('readJson', () => {
  it('reads what JSON.parse reads', () => {
    const documents = [
      { StreamName: 's', Limit: 10, Ratio: -1.5e-3, Flag: true, Other: false, Nothing: null, List: [1, 'two', [], {}], Nested: { a: { b: [{ c: 'd' }] } } },
      { Escapes: 'quote " backslash \\ newline \n tab \t unicode é 🙂 \u0001', Long: 'x'.repeat(1000) + '\\"' },
      [],
      'text',
      0,
    ];
    for (const document of documents) {
      const text = JSON.stringify(document, null, 1);
      expect(readJson(Buffer.from(text), none)).toEqual(JSON.parse(text));
    }
    expect(readJson(Buffer.from(' { "a" : [ 1 , 2 ] } \n'), none)).toEqual({ a: [1, 2] });
  });

  it('returns blob values as views of the input bytes', () => {
    const bytes = Buffer.from(JSON.stringify({ Records: [{ Data: 'aGVsbG8=', PartitionKey: 'k' }], Data: 'AA==' }));
    const parsed = readJson(bytes, new Set(['Data'])) as { Records: Array<{ Data: Buffer; PartitionKey: string }>; Data: Buffer };
    expect(Buffer.isBuffer(parsed.Records[0]!.Data)).toBe(true);
    expect(parsed.Records[0]!.Data.toString('latin1')).toBe('aGVsbG8=');
    expect(parsed.Records[0]!.Data.buffer).toBe(bytes.buffer);
    expect(parsed.Records[0]!.PartitionKey).toBe('k');
    expect(parsed.Data.toString('latin1')).toBe('AA==');
  });

  it('keeps "__proto__" as an own property', () => {
    const parsed = readJson(Buffer.from('{"__proto__":{"polluted":1}}'), none) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['', '{', '{"a":}', '{"a":1,}', '[1 2]', '"unterminated', '{"a":01}', 'tru', '{"a":1} x', '{"a":"\u0001"}', "{'a':1}"])(
    'rejects %j',
    (text) => {
      expect(() => readJson(Buffer.from(text), none)).toThrow(SyntaxError);
    },
  );
});

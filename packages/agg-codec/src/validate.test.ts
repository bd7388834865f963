import { describe, expect, it } from 'vitest';
import { AggregateBuilder, codePointLength, deaggregate, encodeAggregate, hashKeyOf, MAX_PARTITION_KEY_LENGTH, validatePartitionKey } from './index.js';

const data = new Uint8Array([1]);
const emoji = (count: number): string => '😀'.repeat(count); // 2 UTF-16 units, 4 UTF-8 bytes each

describe('partition key length is counted in Unicode code points, as Kinesis counts it', () => {
  it.each([128, 129, 200, 256])('%i emoji (twice as many UTF-16 units) are accepted everywhere a key is taken', (count) => {
    const key = emoji(count);
    expect(key.length).toBe(2 * count);
    expect(codePointLength(key)).toBe(count);
    expect(() => validatePartitionKey(key)).not.toThrow();
    expect(hashKeyOf(key)).toMatch(/^\d+$/);
    const single = encodeAggregate([{ partitionKey: key, data }]);
    expect(single.partitionKey).toBe(key);
    const builder = new AggregateBuilder();
    builder.add({ partitionKey: key, data });
    expect(builder.sizeWith({ partitionKey: 'other', data })).toBeGreaterThan(4 * count);
    builder.add({ partitionKey: 'other', data });
    expect(deaggregate({ ...builder.build() }, { strict: true }).map((record) => record.partitionKey)).toEqual([key, 'other']);
  });

  it.each([
    ['257 emoji', emoji(257)],
    ['257 ASCII characters', 'k'.repeat(257)],
    ['256 emoji and one ASCII character', `${emoji(256)}k`],
    ['600 ASCII characters', 'k'.repeat(600)],
  ])('%s are refused with ERR_INVALID_PARTITION_KEY naming the count', (_name, key) => {
    expect(() => validatePartitionKey(key)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_PARTITION_KEY', message: expect.stringContaining(`1 to ${MAX_PARTITION_KEY_LENGTH} Unicode code points`) }),
    );
    expect(() => encodeAggregate([{ partitionKey: key, data }])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_PARTITION_KEY' }));
    expect(() => new AggregateBuilder().sizeWith({ partitionKey: key, data })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_PARTITION_KEY' }));
  });

  it('codePointLength counts a surrogate pair once and an unpaired surrogate once', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\ud800')).toBe(1);
    expect(codePointLength('\udc00\ud800')).toBe(2); // low then high: two unpaired halves
    expect(codePointLength('\ud800\ud83d\ude00')).toBe(2);
    expect(codePointLength('😀\ud83d')).toBe(2);
    for (const text of ['', 'abc', 'é😀x', '\ud800', '\udc00\ud800', '😀😀']) expect(codePointLength(text)).toBe([...text].length);
  });

  it('a key of 256 unpaired surrogates is accepted and written as 256 "?"', () => {
    const entry = encodeAggregate([{ partitionKey: '\ud800'.repeat(256), data }]);
    expect(entry.partitionKey).toBe('?'.repeat(256));
  });
});

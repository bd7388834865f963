import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareHashKeys,
  hashKeyBytes,
  hashKeyOf,
  hashKeyToDecimal,
  isCanonicalExplicitHashKey,
  MAX_HASH_KEY,
  parseExplicitHashKey,
  partitionKeyHash,
} from '../index.js';

const MAX = (1n << 128n) - 1n;
const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
const hashKeyArbitrary = fc.bigInt({ min: 0n, max: MAX });

describe('hash keys', () => {
  it('MAX_HASH_KEY is 2^128 − 1', () => {
    expect(MAX_HASH_KEY).toBe(MAX.toString());
  });

  it('partitionKeyHash is the MD5 of the UTF-8 bytes, big-endian', () => {
    for (const key of ['alpha', 'é', '😀', '__proto__']) {
      expect(Buffer.from(partitionKeyHash(key)).toString('hex')).toBe(createHash('md5').update(key, 'utf8').digest('hex'));
    }
    expect(hashKeyOf('alpha')).toBe('58606826522850340945736240254012750329');
  });

  it('parses and prints every 128-bit value like BigInt does', () => {
    fc.assert(
      fc.property(hashKeyArbitrary, (value) => {
        const decimal = value.toString();
        const bytes = parseExplicitHashKey(decimal);
        expect(bytes.length).toBe(16);
        expect(toBigInt(bytes)).toBe(value);
        expect(hashKeyToDecimal(bytes)).toBe(decimal);
      }),
      { numRuns: 500 },
    );
    for (const value of [0n, 1n, 9n, 10n, 65535n, 65536n, 999999999n, 1000000000n, 1n << 64n, MAX]) {
      expect(hashKeyToDecimal(parseExplicitHashKey(value.toString()))).toBe(value.toString());
    }
  });

  it('compareHashKeys orders like the integers', () => {
    fc.assert(
      fc.property(hashKeyArbitrary, hashKeyArbitrary, (a, b) => {
        const result = compareHashKeys(parseExplicitHashKey(a.toString()), parseExplicitHashKey(b.toString()));
        expect(Math.sign(result)).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('an explicit hash key wins over the partition key', () => {
    expect(hashKeyOf('ignored', '12345')).toBe('12345');
    expect(toBigInt(hashKeyBytes('ignored', '12345'))).toBe(12345n);
    expect(hashKeyBytes('alpha')).toEqual(partitionKeyHash('alpha'));
  });

  it('accepts only canonical decimals in 0 … 2^128 − 1', () => {
    for (const good of ['0', '1', '42', MAX_HASH_KEY, '340282366920938463463374607431768211454']) {
      expect(isCanonicalExplicitHashKey(good)).toBe(true);
    }
    for (const bad of ['', '-1', '0x10', '1.5', '+5', '01', ' 5', '5 ', '1e3', (MAX + 1n).toString(), '9'.repeat(39), '1'.repeat(40)]) {
      expect(isCanonicalExplicitHashKey(bad)).toBe(false);
    }
  });
});

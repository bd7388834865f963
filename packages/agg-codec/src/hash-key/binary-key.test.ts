import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryHashKeyToDecimal, binaryToBytes, explicitHashKeyBinary, partitionKeyHashBinary } from './binary-key.js';
import { hashKeyOf, partitionKeyHash } from './hash-key.js';

describe('binary-string hash keys', () => {
  it('hold the same 16 bytes as the byte form, and convert back to the same decimal', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 256 }), (partitionKey) => {
      const binary = partitionKeyHashBinary(partitionKey);
      expect(binary).toHaveLength(16);
      expect(binaryToBytes(binary)).toEqual(new Uint8Array(partitionKeyHash(partitionKey)));
      expect(binaryHashKeyToDecimal(binary)).toBe(hashKeyOf(partitionKey));
    }));
    expect(Buffer.from(binaryToBytes(partitionKeyHashBinary('alpha'))).toString('hex')).toBe(createHash('md5').update('alpha').digest('hex'));
  });

  it('compare with < exactly as the unsigned integers do', () => {
    const bigint128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    fc.assert(fc.property(bigint128, bigint128, (a, b) => {
      const left = explicitHashKeyBinary(a.toString());
      const right = explicitHashKeyBinary(b.toString());
      expect(left < right).toBe(a < b);
      expect(left === right).toBe(a === b);
    }));
  });
});

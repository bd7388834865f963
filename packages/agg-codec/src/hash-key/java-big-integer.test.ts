import { describe, expect, it } from 'vitest';
import { MAX_HASH_KEY } from '../constants.js';
import { bytesToDecimal } from './decimal.js';
import { explicitHashKeyAsKcl } from './java-big-integer.js';

const read = (value: string): string | undefined => {
  const bytes = explicitHashKeyAsKcl(value);
  return bytes === undefined ? undefined : bytesToDecimal(bytes);
};

describe('explicitHashKeyAsKcl (explicit hash keys as the KCL reads them)', () => {
  // What JDK 17's `new BigInteger(value)` makes of each string, restricted to the hash-key
  // range 0 … 2^128 − 1 (undefined: NumberFormatException, negative or above 2^128 − 1).
  it.each([
    ['0', '0'],
    ['42', '42'],
    [MAX_HASH_KEY, MAX_HASH_KEY],
    ['007', '7'],
    ['+5', '5'],
    ['-0', '0'],
    ['+000', '0'],
    ['١٢٣', '123'], // Arabic-Indic digits
    ['１２', '12'], // fullwidth digits
    ['٠٠٣४', '34'], // mixed scripts, leading zeros
    [`0000${MAX_HASH_KEY}`, MAX_HASH_KEY],
    ['-1', undefined],
    ['-00001', undefined],
    ['abc', undefined],
    ['', undefined],
    ['-', undefined],
    ['+', undefined],
    ['+-5', undefined],
    ['--5', undefined],
    ['5-', undefined],
    [' 5', undefined],
    ['5 ', undefined],
    ['1e3', undefined],
    ['1.5', undefined],
    ['0x10', undefined],
    ['²', undefined], // superscript two is not a decimal digit
    ['𝟏', undefined], // MATHEMATICAL BOLD DIGIT ONE: outside the BMP, Java reads it as two non-digits
    ['340282366920938463463374607431768211456', undefined], // 2^128
    ['9'.repeat(40), undefined],
    [`${'9'.repeat(100)}x`, undefined],
  ])('%j → %s', (value, expected) => {
    expect(read(value)).toBe(expected);
  });
});

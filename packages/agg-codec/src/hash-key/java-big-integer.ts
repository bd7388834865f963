/**
 * The KCL turns each sub-record's explicit hash key into a number with Java's
 * `new BigInteger(string)` and keeps the aggregate only when every number lies in the shard's
 * range (0 … 2^128 − 1 when no range is given). That parser is more lenient than the canonical
 * form the encoder writes: one leading `+` or `-`, leading zeros, and any Unicode decimal digit
 * of the Basic Multilingual Plane (Arabic-Indic, Devanagari, fullwidth, …) are accepted, so
 * `"+5"`, `"007"`, `"-0"` and `"١٢٣"` are hash keys 5, 7, 0 and 123; anything else (`""`, `"abc"`,
 * `" 5"`, `"1e3"`) is not a number.
 */
import { MAX_HASH_KEY } from '../constants.js';
import { decimalToBytes } from './decimal.js';
import { isCanonicalExplicitHashKey } from './hash-key.js';

const DECIMAL_DIGIT = /\p{Nd}/u;

/**
 * Value 0 … 9 of a UTF-16 unit as Java's `Character.digit(unit, 10)` gives it, or -1. Unicode
 * encodes every decimal digit in runs of ten, 0 to 9, so the value is the position in its run.
 * (Checked against JDK 17 for all 65 536 units: 370 digits, same values.)
 */
function digitValue(unit: number): number {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30;
  if (unit < 0x660 || (unit >= 0xd800 && unit <= 0xdfff) || !DECIMAL_DIGIT.test(String.fromCharCode(unit))) return -1;
  let runStart = unit;
  while (DECIMAL_DIGIT.test(String.fromCharCode(runStart - 1))) runStart--;
  return (unit - runStart) % 10;
}

/**
 * The 16-byte hash key the KCL reads from an explicit hash key string, or `undefined` when
 * Java's `new BigInteger(value)` rejects it or its value lies outside 0 … 2^128 − 1 (the KCL
 * then drops the aggregate).
 * @internal
 */
export function explicitHashKeyAsKcl(value: string): Uint8Array | undefined {
  if (isCanonicalExplicitHashKey(value)) return decimalToBytes(value);
  const length = value.length;
  const minus = value.lastIndexOf('-');
  const plus = value.lastIndexOf('+');
  // At most one sign, and only in front.
  if (minus > 0 || plus > 0) return undefined;
  const cursor = minus === 0 || plus === 0 ? 1 : 0;
  if (cursor === length) return undefined;
  let digits = '';
  for (let index = cursor; index < length; index++) {
    const digit = digitValue(value.charCodeAt(index));
    if (digit < 0) return undefined;
    // Leading zeros dropped; past 39 significant digits the value exceeds 2^128 − 1 whatever follows.
    if ((digit > 0 || digits.length > 0) && digits.length <= MAX_HASH_KEY.length) digits += String.fromCharCode(0x30 + digit);
  }
  if (digits.length === 0) return decimalToBytes('0'); // zero, with or without a sign
  if (minus === 0 || !isCanonicalExplicitHashKey(digits)) return undefined;
  return decimalToBytes(digits);
}

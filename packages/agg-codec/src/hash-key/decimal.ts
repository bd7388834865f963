/**
 * Conversions between canonical decimal strings and 16-byte big-endian unsigned integers,
 * without BigInt: the value is held as eight 16-bit limbs so every intermediate product stays
 * far below 2^53.
 */

const LIMBS = 8;

/**
 * Writes the value of a canonical decimal string (already validated) into 16 big-endian bytes.
 * @internal
 */
export function decimalToBytes(decimal: string): Uint8Array {
  const limbs = new Array<number>(LIMBS).fill(0); // little-endian 16-bit limbs
  const length = decimal.length;
  let position = 0;
  // First chunk takes the leftover digits so that the rest come in groups of four.
  let chunkLength = length % 4 || 4;
  while (position < length) {
    let chunk = 0;
    for (let end = position + chunkLength; position < end; position++) {
      chunk = chunk * 10 + (decimal.charCodeAt(position) - 48);
    }
    const multiplier = chunkLength === 4 ? 10000 : 10 ** chunkLength;
    let carry = chunk;
    for (let index = 0; index < LIMBS; index++) {
      const value = (limbs[index] as number) * multiplier + carry;
      limbs[index] = value % 65536;
      carry = Math.floor(value / 65536);
    }
    chunkLength = 4;
  }
  const bytes = new Uint8Array(16);
  for (let index = 0; index < LIMBS; index++) {
    const limb = limbs[index] as number;
    bytes[15 - index * 2] = limb & 0xff;
    bytes[14 - index * 2] = limb >>> 8;
  }
  return bytes;
}

/**
 * Canonical decimal string of a 16-byte big-endian unsigned integer.
 * @internal
 */
export function bytesToDecimal(bytes: Uint8Array): string {
  const limbs = new Array<number>(LIMBS); // big-endian 16-bit limbs
  for (let index = 0; index < LIMBS; index++) {
    limbs[index] = ((bytes[index * 2] as number) << 8) | (bytes[index * 2 + 1] as number);
  }
  let first = 0;
  while (first < LIMBS && limbs[first] === 0) first++;
  if (first === LIMBS) return '0';
  const groups: string[] = [];
  while (first < LIMBS) {
    // Divide the whole number by 10^9, keeping the remainder as the next nine digits.
    let remainder = 0;
    for (let index = first; index < LIMBS; index++) {
      const value = remainder * 65536 + (limbs[index] as number);
      const quotient = Math.floor(value / 1e9);
      limbs[index] = quotient;
      remainder = value - quotient * 1e9;
    }
    groups.push(String(remainder));
    while (first < LIMBS && limbs[first] === 0) first++;
  }
  let text = groups[groups.length - 1] as string;
  for (let index = groups.length - 2; index >= 0; index--) {
    text += (groups[index] as string).padStart(9, '0');
  }
  return text;
}

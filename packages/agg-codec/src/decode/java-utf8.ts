/**
 * UTF-8 decoding as the KCL sees its strings. The KCL reads the key tables with protobuf-java,
 * which decodes them with Java's UTF-8 decoder (`new String(bytes, UTF_8)`). On well-formed UTF-8
 * it agrees with Node's decoder; on malformed input the two place U+FFFD differently, and the
 * partition key's MD5 (so the shard-range decision) depends on the exact string. Java's rules:
 *
 * - A lead byte E0 … EF followed by two continuation bytes is one unit: an encoded surrogate
 *   (`ED A0 80` … `ED BF BF`) becomes one U+FFFD, where Node writes three.
 * - A three-byte sequence whose third byte is not a continuation becomes one U+FFFD for its first
 *   two bytes (unless the second byte already disqualifies it: then one for the lead byte alone).
 * - A sequence cut off by the end of the string is one U+FFFD for all of its bytes; overlong
 *   forms, code points above U+10FFFF, stray continuation bytes and C0, C1, F5 … FF lead bytes
 *   are one U+FFFD per byte (as in Node).
 *
 * Checked against JDK 17's decoder on random byte strings; the test file keeps the vectors.
 */
import { decodeUtf8 } from './buffer-strings.js';

const REPLACEMENT = '\uFFFD';

const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80;

/** E0 followed by 80 … 9F: an overlong three-byte form, rejected at its second byte. */
const isOverlong3 = (lead: number, second: number): boolean => lead === 0xe0 && (second & 0xe0) === 0x80;

/** Bytes Java takes for the bad sequence when a full four-byte sequence is malformed. */
function malformedLength4(bytes: Buffer, position: number): number {
  const lead = bytes[position] as number;
  const second = bytes[position + 1] as number;
  if (lead > 0xf4 || (lead === 0xf0 && (second < 0x90 || second > 0xbf)) || (lead === 0xf4 && (second & 0xf0) !== 0x80) || !isContinuation(second)) {
    return 1;
  }
  return isContinuation(bytes[position + 2] as number) ? 3 : 2;
}

/**
 * Decodes `bytes[start … end)` exactly as Java's `new String(bytes, StandardCharsets.UTF_8)` does.
 * Runs Java accepts are well-formed UTF-8 and are decoded natively; only the replacement of
 * malformed sequences is done here.
 * @internal
 */
export function decodeUtf8AsJava(bytes: Buffer, start: number, end: number): string {
  let text = '';
  let runStart = start;
  let position = start;
  /** Ends the well-formed run at `position`, writes one U+FFFD and resumes at `next`. */
  const replace = (next: number): void => {
    if (position > runStart) text += decodeUtf8(bytes, runStart, position);
    text += REPLACEMENT;
    position = next;
    runStart = next;
  };
  while (position < end) {
    const lead = bytes[position] as number;
    if (lead < 0x80) {
      position++;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      if (position + 1 >= end) replace(end);
      else if (isContinuation(bytes[position + 1] as number)) position += 2;
      else replace(position + 1);
    } else if ((lead & 0xf0) === 0xe0) {
      if (position + 2 < end) {
        const second = bytes[position + 1] as number;
        const third = bytes[position + 2] as number;
        if (isOverlong3(lead, second) || !isContinuation(second)) replace(position + 1);
        else if (!isContinuation(third)) replace(position + 2);
        else if (lead === 0xed && second >= 0xa0) replace(position + 3); // an encoded surrogate
        else position += 3;
      } else if (position + 1 < end && (isOverlong3(lead, bytes[position + 1] as number) || !isContinuation(bytes[position + 1] as number))) {
        replace(position + 1);
      } else {
        replace(end);
      }
    } else if ((lead & 0xf8) === 0xf0) {
      if (position + 3 < end) {
        const second = bytes[position + 1] as number;
        const third = bytes[position + 2] as number;
        const fourth = bytes[position + 3] as number;
        const codePoint = ((lead & 0x07) << 18) | ((second & 0x3f) << 12) | ((third & 0x3f) << 6) | (fourth & 0x3f);
        const wellFormed = isContinuation(second) && isContinuation(third) && isContinuation(fourth) && codePoint >= 0x10000 && codePoint <= 0x10ffff;
        if (wellFormed) position += 4;
        else replace(position + malformedLength4(bytes, position));
      } else {
        // Cut off by the end: Java rejects a bad second or third byte on its own, else the rest is one U+FFFD.
        const second = position + 1 < end ? (bytes[position + 1] as number) : -1;
        const secondBad =
          lead > 0xf4 ||
          (second >= 0 && ((lead === 0xf0 && (second < 0x90 || second > 0xbf)) || (lead === 0xf4 && (second & 0xf0) !== 0x80) || !isContinuation(second)));
        if (secondBad) replace(position + 1);
        else if (position + 2 < end && !isContinuation(bytes[position + 2] as number)) replace(position + 2);
        else replace(end);
      }
    } else {
      // A continuation byte without a lead, C0, C1, F8 … FF.
      replace(position + 1);
    }
  }
  if (runStart === start) return decodeUtf8(bytes, start, end);
  if (end > runStart) text += decodeUtf8(bytes, runStart, end);
  return text;
}

/** Protobuf varint helpers for non-negative integers below 2^32 (indices and lengths). */

/**
 * Bytes a varint takes for `value` (0 ≤ value < 2^35).
 * @internal
 */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/**
 * Writes `value` (0 ≤ value < 2^32) as a varint at `position`; returns the next position.
 * @internal
 */
export function writeVarint(target: Uint8Array, position: number, value: number): number {
  while (value > 0x7f) {
    target[position++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  target[position++] = value;
  return position;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryKey, hashKeyArbitrary, MAX, owner, rangesCutAt, tilingArbitrary } from './__tests__/layouts.js';
import type { Range } from './__tests__/layouts.js';
import { createHashRangeIndex, lookupHashRange } from './hash-range-index.js';

function binaryRanges(ranges: readonly Range[]) {
  return ranges.map((range) => ({ start: binaryKey(range.start), end: binaryKey(range.end) }));
}

/** The input position of the range owning `key`, or -1. */
function positionOf(ranges: readonly Range[], key: bigint): number {
  const index = createHashRangeIndex(binaryRanges(ranges));
  const row = lookupHashRange(index, binaryKey(key));
  return row < 0 ? -1 : index.order[row]!;
}

describe('createHashRangeIndex', () => {
  it('sorts rows by ending key and remembers each row\'s input position', () => {
    const ranges = rangesCutAt([100n, 200n, 1n << 100n]);
    const shuffled = [ranges[2]!, ranges[0]!, ranges[3]!, ranges[1]!];
    const index = createHashRangeIndex(binaryRanges(shuffled));
    expect(index.count).toBe(4);
    expect(index.order).toEqual([1, 3, 0, 2]);
    expect(index.ends).toEqual(ranges.map((range) => binaryKey(range.end)));
    expect(index.starts).toEqual(ranges.map((range) => binaryKey(range.start)));
  });

  it('keeps the input order of ranges that end on the same key', () => {
    const index = createHashRangeIndex(binaryRanges([{ start: 50n, end: MAX }, { start: 0n, end: 49n }, { start: 0n, end: MAX }]));
    expect(index.order).toEqual([1, 0, 2]);
  });
});

describe('lookupHashRange', () => {
  it('finds the owner at the start, the end and one past the end of each range', () => {
    const ranges = rangesCutAt([1n, 2n, 1n << 64n, MAX]);
    ranges.forEach((range, position) => {
      expect(positionOf(ranges, range.start)).toBe(position);
      expect(positionOf(ranges, range.end)).toBe(position);
      if (range.end < MAX) expect(positionOf(ranges, range.end + 1n)).toBe(position + 1);
    });
  });

  it('answers -1 for keys in a gap, below the first range and above the last', () => {
    const ranges = [{ start: 10n, end: 99n }, { start: 200n, end: 299n }];
    expect(positionOf(ranges, 9n)).toBe(-1);
    expect(positionOf(ranges, 10n)).toBe(0);
    expect(positionOf(ranges, 150n)).toBe(-1);
    expect(positionOf(ranges, 299n)).toBe(1);
    expect(positionOf(ranges, 300n)).toBe(-1);
    expect(positionOf([], 0n)).toBe(-1);
  });

  it('agrees with a linear scan on random tilings and random keys', () => {
    fc.assert(
      fc.property(tilingArbitrary(40), fc.array(hashKeyArbitrary, { minLength: 1, maxLength: 30 }), (ranges, keys) => {
        for (const key of keys) expect(positionOf(ranges, key)).toBe(owner(ranges, key));
      }),
    );
  });

  it('agrees with a linear scan when ranges are missing from a tiling (gaps)', () => {
    fc.assert(
      fc.property(tilingArbitrary(20), fc.array(fc.boolean()), fc.array(hashKeyArbitrary, { minLength: 1, maxLength: 20 }), (ranges, dropped, keys) => {
        const kept = ranges.filter((_, index) => dropped[index] !== true);
        for (const key of keys) expect(positionOf(kept, key)).toBe(owner(kept, key));
      }),
    );
  });
});

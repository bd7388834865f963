/**
 * The lookup itself: hash-key ranges sorted by ending key and searched without allocation, for
 * callers that hold hash keys as 16-character binary strings (one byte per character, most
 * significant first, as `partitionKeyHashBinary` and `explicitHashKeyBinary` of
 * `@tskpl/agg-codec` return them). Binary strings of equal length compare with `<` exactly as the
 * unsigned 128-bit integers they hold, so no `BigInt` is needed.
 *
 * The index checks nothing about how the ranges fit together: {@link createShardPredictor}
 * validates a shard list before it builds one, while `@tskpl/producer` builds one per ListShards
 * answer and relies on the lookup's own guard against gaps.
 */

/** A hash-key range, both ends inclusive, as 16-character binary keys. */
export interface BinaryHashRange {
  /** Lowest key of the range (inclusive). */
  readonly start: string;
  /** Highest key of the range (inclusive). */
  readonly end: string;
}

/** Ranges sorted by ending key. Created by {@link createHashRangeIndex}, read by {@link lookupHashRange}. */
export interface HashRangeIndex {
  /** Number of ranges (rows). */
  readonly count: number;
  /** Starting key of each row, in the same order as `ends`. */
  readonly starts: readonly string[];
  /** Ending key of each row, ascending. */
  readonly ends: readonly string[];
  /** Position in the input of the range at each row. */
  readonly order: readonly number[];
}

/**
 * Sorts `ranges` by ending key (ties keep their input order) into an index. The input is not
 * modified and may be in any order, e.g. the order ListShards pages returned the shards in.
 */
export function createHashRangeIndex(ranges: readonly BinaryHashRange[]): HashRangeIndex {
  const order = ranges.map((_, position) => position);
  order.sort((a, b) => {
    const endA = ranges[a]!.end;
    const endB = ranges[b]!.end;
    return endA < endB ? -1 : endA > endB ? 1 : a - b;
  });
  return {
    count: order.length,
    starts: order.map((position) => ranges[position]!.start),
    ends: order.map((position) => ranges[position]!.end),
    order,
  };
}

/**
 * The first row whose ending key is ≥ `key` (a 16-character binary hash key), by binary search;
 * `index.count` when there is none. No allocation.
 */
export function firstRowEndingAtOrAfter(index: HashRangeIndex, key: string): number {
  const ends = index.ends;
  let low = 0;
  let high = index.count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ends[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The row owning `key` (a 16-character binary hash key): the first row whose ending key is
 * ≥ `key`, as the KPL searches, then a check that `key` is not below that row's starting key, so
 * that a key in a gap between ranges yields -1 rather than a guess. No allocation.
 * @returns the row (an index into `starts`, `ends` and `order`), or -1
 */
export function lookupHashRange(index: HashRangeIndex, key: string): number {
  const row = firstRowEndingAtOrAfter(index, key);
  return row === index.count || index.starts[row]! > key ? -1 : row;
}

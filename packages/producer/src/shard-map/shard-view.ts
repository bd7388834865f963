/**
 * An immutable, sorted table of open shards' hash-key ranges, searched without allocation.
 * The shard map builds one per completed ListShards update and swaps it in whole.
 */

/** Bytes in a hash key (an unsigned 128-bit integer, big-endian). */
export const HASH_KEY_BYTES = 16;

/** One shard of a view, with its range already parsed into 16-byte keys. */
export interface ShardEntry {
  readonly shardNumber: number;
  readonly start: Uint8Array;
  readonly end: Uint8Array;
}

/** Open shards sorted by ending hash key; keys are packed 16 bytes apiece into two flat buffers. */
export interface ShardView {
  readonly count: number;
  /** Starting keys, `count × 16` bytes, in the same order as `ends`. */
  readonly starts: Uint8Array;
  /** Ending keys, `count × 16` bytes, ascending. */
  readonly ends: Uint8Array;
  /** Shard number of each row. */
  readonly shardNumbers: readonly number[];
  /** The same shard numbers, for membership tests. */
  readonly open: ReadonlySet<number>;
}

/** A view with no shards: every lookup misses. */
export const EMPTY_VIEW: ShardView = {
  count: 0,
  starts: new Uint8Array(0),
  ends: new Uint8Array(0),
  shardNumbers: [],
  open: new Set(),
};

/** Compares the key in row `row` of a packed table with `key`, as unsigned big-endian integers. */
function compareRow(table: Uint8Array, row: number, key: Uint8Array): number {
  const base = row * HASH_KEY_BYTES;
  for (let index = 0; index < HASH_KEY_BYTES; index++) {
    const difference = (table[base + index] as number) - (key[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Compares two 16-byte keys as unsigned big-endian integers. */
function compareKeys(a: Uint8Array, b: Uint8Array): number {
  for (let index = 0; index < HASH_KEY_BYTES; index++) {
    const difference = (a[index] as number) - (b[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Builds a view from shards in any order (the order ListShards pages returned them in). */
export function buildShardView(entries: readonly ShardEntry[]): ShardView {
  const sorted = [...entries].sort((a, b) => compareKeys(a.end, b.end));
  const starts = new Uint8Array(sorted.length * HASH_KEY_BYTES);
  const ends = new Uint8Array(sorted.length * HASH_KEY_BYTES);
  const shardNumbers: number[] = [];
  sorted.forEach((entry, row) => {
    starts.set(entry.start, row * HASH_KEY_BYTES);
    ends.set(entry.end, row * HASH_KEY_BYTES);
    shardNumbers.push(entry.shardNumber);
  });
  return { count: sorted.length, starts, ends, shardNumbers, open: new Set(shardNumbers) };
}

/**
 * The shard owning `hashKey`: binary search for the first ending key ≥ `hashKey`, as the KPL
 * does, plus a check that the key is not below that shard's start (a gap in the table, which
 * ListShards with `AT_LATEST` never produces, yields -1 rather than a guess).
 * @returns the shard number, or -1
 */
export function lookupShard(view: ShardView, hashKey: Uint8Array): number {
  let low = 0;
  let high = view.count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareRow(view.ends, middle, hashKey) < 0) low = middle + 1;
    else high = middle;
  }
  if (low === view.count || compareRow(view.starts, low, hashKey) > 0) return -1;
  return view.shardNumbers[low] as number;
}

/**
 * An immutable, sorted table of open shards' hash-key ranges, searched without allocation.
 * The shard map builds one per completed ListShards update and swaps it in whole. Keys are
 * 16-character binary strings (one byte per character, most significant first), which compare
 * with `<` exactly as the unsigned 128-bit integers do.
 */

/** One shard of a view, with its range already parsed into binary keys. */
export interface ShardEntry {
  readonly shardNumber: number;
  readonly start: string;
  readonly end: string;
}

/** Open shards sorted by ending hash key. */
export interface ShardView {
  readonly count: number;
  /** Starting keys, in the same order as `ends`. */
  readonly starts: readonly string[];
  /** Ending keys, ascending. */
  readonly ends: readonly string[];
  /** Shard number of each row. */
  readonly shardNumbers: readonly number[];
  /** The same shard numbers, for membership tests. */
  readonly open: ReadonlySet<number>;
}

/** A view with no shards: every lookup misses. */
export const EMPTY_VIEW: ShardView = {
  count: 0,
  starts: [],
  ends: [],
  shardNumbers: [],
  open: new Set(),
};

/** Builds a view from shards in any order (the order ListShards pages returned them in). */
export function buildShardView(entries: readonly ShardEntry[]): ShardView {
  const sorted = [...entries].sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0));
  const shardNumbers = sorted.map((entry) => entry.shardNumber);
  return {
    count: sorted.length,
    starts: sorted.map((entry) => entry.start),
    ends: sorted.map((entry) => entry.end),
    shardNumbers,
    open: new Set(shardNumbers),
  };
}

/**
 * The shard owning `routingKey`: binary search for the first ending key ≥ `routingKey`, as the
 * KPL does, plus a check that the key is not below that shard's start (a gap in the table, which
 * ListShards with `AT_LATEST` never produces, yields -1 rather than a guess).
 * @returns the shard number, or -1
 */
export function lookupShard(view: ShardView, routingKey: string): number {
  const ends = view.ends;
  let low = 0;
  let high = view.count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ends[middle]! < routingKey) low = middle + 1;
    else high = middle;
  }
  if (low === view.count || view.starts[low]! > routingKey) return -1;
  return view.shardNumbers[low]!;
}

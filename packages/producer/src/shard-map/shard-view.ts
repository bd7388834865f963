/**
 * An immutable table of open shards' hash-key ranges, searched without allocation. The shard map
 * builds one per completed ListShards update and swaps it in whole. Keys are 16-character binary
 * strings (one byte per character, most significant first), which compare with `<` exactly as the
 * unsigned 128-bit integers do. The sorting and the search are `@tskpl/shard-predictor`'s
 * (`createHashRangeIndex`, `lookupHashRange`), so the producer predicts what that package predicts;
 * this file only maps its rows to shard numbers.
 */
import { createHashRangeIndex, lookupHashRange } from '@tskpl/shard-predictor';
import type { HashRangeIndex } from '@tskpl/shard-predictor';

/** One shard of a view, with its range already parsed into binary keys. */
export interface ShardEntry {
  readonly shardNumber: number;
  readonly start: string;
  readonly end: string;
}

/**
 * Open shards sorted by ending hash key: the predictor's index (`count`, `starts`, `ends`,
 * `order`) plus the shard number of each row.
 */
export interface ShardView extends HashRangeIndex {
  /** Shard number of each row. */
  readonly shardNumbers: readonly number[];
  /** The same shard numbers, for membership tests. */
  readonly open: ReadonlySet<number>;
}

/** Builds a view from shards in any order (the order ListShards pages returned them in). */
export function buildShardView(entries: readonly ShardEntry[]): ShardView {
  const { count, starts, ends, order } = createHashRangeIndex(entries);
  const shardNumbers = order.map((position) => entries[position]!.shardNumber);
  return { count, starts, ends, order, shardNumbers, open: new Set(shardNumbers) };
}

/** A view with no shards: every lookup misses. */
export const EMPTY_VIEW: ShardView = buildShardView([]);

/**
 * The shard owning `routingKey`: the first row whose ending key is ≥ `routingKey`, as the KPL
 * searches, unless the key is below that row's start (a gap in the table, which ListShards with
 * `AT_LATEST` never produces, yields -1 rather than a guess).
 * @returns the shard number, or -1
 */
export function lookupShard(view: ShardView, routingKey: string): number {
  const row = lookupHashRange(view, routingKey);
  return row < 0 ? -1 : view.shardNumbers[row]!;
}

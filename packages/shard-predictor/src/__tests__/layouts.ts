// Test helpers: hash-key layouts as BigInt ranges, and the naive routing they are checked against.
import fc from 'fast-check';

export const MAX = (1n << 128n) - 1n;

export interface Range {
  start: bigint;
  end: bigint;
}

/** Canonical shard id of a shard number, as Kinesis prints it. */
export function shardId(shardNumber: number): string {
  return `shardId-${String(shardNumber).padStart(12, '0')}`;
}

/** 16-character binary key of a BigInt hash key. */
export function binaryKey(value: bigint): string {
  return value.toString(16).padStart(32, '0').replace(/../g, (pair) => String.fromCharCode(Number.parseInt(pair, 16)));
}

/** Contiguous ranges over 0 … MAX cut before each of `cuts` (distinct, in 1 … MAX). */
export function rangesCutAt(cuts: readonly bigint[]): Range[] {
  const sorted = [...new Set(cuts)].sort((a, b) => (a < b ? -1 : 1));
  const starts = [0n, ...sorted];
  return starts.map((start, index) => ({ start, end: index + 1 < starts.length ? starts[index + 1]! - 1n : MAX }));
}

/** Hash keys biased to the interesting places: 0, MAX, near powers of two, and anywhere. */
export const hashKeyArbitrary: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt(0n, MAX),
  fc.constantFrom(0n, 1n, MAX - 1n, MAX),
  fc.integer({ min: 1, max: 127 }).chain((bit) => fc.bigInt(-2n, 2n).map((offset) => (1n << BigInt(bit)) + offset)),
);

/** A tiling of 0 … MAX into 1 … `maxShards` ranges, some of them a single key wide. */
export function tilingArbitrary(maxShards: number): fc.Arbitrary<Range[]> {
  const cut = hashKeyArbitrary.filter((value) => value > 0n);
  return fc.array(cut, { maxLength: maxShards - 1 }).map(rangesCutAt);
}

/** The index of the range holding `key`, by linear scan; -1 when none does. */
export function owner(ranges: readonly Range[], key: bigint): number {
  return ranges.findIndex((range) => range.start <= key && key <= range.end);
}

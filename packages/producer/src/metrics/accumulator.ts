/**
 * Statistics of one metric series: count, sum, min and max since the last export, per-second
 * buckets for the last minute, and (folded in at each export) everything before.
 * `put` allocates nothing once the series' buckets exist.
 */
import { MAX_SAMPLES_PER_DATUM } from './sink.js';

/** How many one-second buckets a series keeps: the longest window `getMetrics` accepts. */
export const BUCKET_SECONDS = 60;

const SLOT = 5; // second, count, sum, min, max
const SECOND = 0;
const COUNT = 1;
const SUM = 2;
const MIN = 3;
const MAX = 4;

/** The accumulated statistics of one series, as read for an export or a snapshot. */
export class Stats {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Samples, when the metric keeps them (capped at {@link MAX_SAMPLES_PER_DATUM}). */
  samples: number[] | undefined;

  /** Adds another series' statistics (and samples, up to the cap). */
  merge(other: Stats): void {
    if (other.count === 0) return;
    this.add(other.count, other.sum, other.min, other.max);
    if (other.samples !== undefined) {
      const samples = (this.samples ??= []);
      const room = MAX_SAMPLES_PER_DATUM - samples.length;
      for (let index = 0; index < other.samples.length && index < room; index++) samples.push(other.samples[index]!);
    }
  }

  /** Adds raw statistics. */
  add(count: number, sum: number, min: number, max: number): void {
    if (count === 0) return;
    this.count += count;
    this.sum += sum;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
  }
}

/** One series' accumulator; the hot path calls only {@link Accumulator.put}. */
export class Accumulator {
  /** Samples since the last export (the hot path updates only these and a bucket). */
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Individual samples since the last export, when kept. */
  samples: number[] | undefined;
  /** Samples up to the last export; cumulative = these + the current window. */
  private readonly before = new Stats();
  /** `[second, count, sum, min, max]` × {@link BUCKET_SECONDS}, allocated on the first sample. */
  private buckets: Float64Array | undefined;

  /** @param keepsSamples whether exports need the individual samples of this series. */
  constructor(readonly keepsSamples: boolean) {}

  /** Records one sample taken during clock second `second`. */
  put(value: number, second: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.keepsSamples) {
      const samples = (this.samples ??= []);
      if (samples.length < MAX_SAMPLES_PER_DATUM) samples.push(value);
    }

    const buckets = (this.buckets ??= newBuckets());
    const base = (second % BUCKET_SECONDS) * SLOT;
    if (buckets[base + SECOND] !== second) {
      buckets[base + SECOND] = second;
      buckets[base + COUNT] = 1;
      buckets[base + SUM] = value;
      buckets[base + MIN] = value;
      buckets[base + MAX] = value;
    } else {
      buckets[base + COUNT]!++;
      buckets[base + SUM]! += value;
      if (value < buckets[base + MIN]!) buckets[base + MIN] = value;
      if (value > buckets[base + MAX]!) buckets[base + MAX] = value;
    }
  }

  /** Adds the statistics since start to `into`. */
  readCumulative(into: Stats): void {
    into.add(this.before.count, this.before.sum, this.before.min, this.before.max);
    into.add(this.count, this.sum, this.min, this.max);
  }

  /** Adds the statistics of seconds `(currentSecond − windowSeconds, currentSecond]` to `into`. */
  readWindow(into: Stats, currentSecond: number, windowSeconds: number): void {
    const buckets = this.buckets;
    if (buckets === undefined) return;
    const oldest = currentSecond - windowSeconds;
    for (let base = 0; base < buckets.length; base += SLOT) {
      const second = buckets[base + SECOND]!;
      if (second > oldest && second <= currentSecond) {
        into.add(buckets[base + COUNT]!, buckets[base + SUM]!, buckets[base + MIN]!, buckets[base + MAX]!);
      }
    }
  }

  /** Adds the statistics since the last export to `into` (with the samples), then starts a new export window. */
  takeExport(into: Stats): void {
    if (this.count === 0) return;
    into.add(this.count, this.sum, this.min, this.max);
    if (this.samples !== undefined) {
      if (into.samples === undefined) into.samples = this.samples;
      else {
        const room = MAX_SAMPLES_PER_DATUM - into.samples.length;
        for (let index = 0; index < this.samples.length && index < room; index++) into.samples.push(this.samples[index]!);
      }
    }
    this.before.add(this.count, this.sum, this.min, this.max);
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.samples = undefined;
  }
}

function newBuckets(): Float64Array {
  const buckets = new Float64Array(BUCKET_SECONDS * SLOT);
  for (let base = 0; base < buckets.length; base += SLOT) buckets[base + SECOND] = -1;
  return buckets;
}

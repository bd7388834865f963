/**
 * Statistics of one metric series: count, sum, min and max since the last export, per-second
 * buckets for the last minute, and (folded in at each export) everything before; for the
 * distributions, a bounded reservoir of samples that represents the whole export window.
 * `put` allocates nothing once the series' buckets and reservoir exist.
 */

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
  /** A uniform sample of the `count` samples (all of them when few enough), when the metric keeps samples. */
  samples: number[] | undefined;

  /**
   * Adds another series' statistics. Reservoirs are merged in proportion to the samples each
   * represents, up to `capacity` samples, picking with `random` (called only when samples are kept).
   */
  merge(other: Stats, capacity: number, random: () => number): void {
    if (other.count === 0) return;
    const countBefore = this.count;
    this.add(other.count, other.sum, other.min, other.max);
    if (other.samples === undefined || other.samples.length === 0) return;
    if (this.samples === undefined || this.samples.length === 0) {
      this.samples = other.samples.slice();
      return;
    }
    this.samples = mergeReservoirs(this.samples, countBefore, other.samples, other.count, capacity, random);
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
  /** A uniform sample (reservoir) of the samples since the last export, when kept. */
  samples: number[] | undefined;
  /** The 1-based index in the window of the next sample that enters the full reservoir (Algorithm L). */
  private nextReplaced = 0;
  /** Algorithm L's running weight. */
  private weight = 1;
  /** Samples up to the last export; cumulative = these + the current window. */
  private readonly before = new Stats();
  /** `[second, count, sum, min, max]` × {@link BUCKET_SECONDS}, allocated on the first sample. */
  private buckets: Float64Array | undefined;

  /**
   * @param capacity the reservoir size: how many samples exports need of this series (0: none).
   * @param random a number in [0, 1), for the reservoir (the producer's clock's).
   */
  constructor(
    readonly capacity: number,
    private readonly random: () => number,
  ) {}

  /** Records one sample taken during clock second `second`. */
  put(value: number, second: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.capacity > 0) this.sample(value);

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

  /**
   * Reservoir sampling with Li's Algorithm L: the first `capacity` samples fill the reservoir;
   * later ones replace a random slot at geometrically distributed skips, so that every sample of
   * the window is kept with the same probability and `random` is called only on replacements.
   */
  private sample(value: number): void {
    const samples = (this.samples ??= []);
    if (samples.length < this.capacity) {
      samples.push(value);
      if (samples.length === this.capacity) this.skip();
      return;
    }
    if (this.count !== this.nextReplaced) return;
    samples[Math.floor(this.random() * this.capacity)] = value;
    this.skip();
  }

  private skip(): void {
    this.weight *= Math.exp(Math.log(1 - this.random()) / this.capacity);
    this.nextReplaced = this.count + Math.floor(Math.log(1 - this.random()) / Math.log(1 - this.weight)) + 1;
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
    const countBefore = into.count;
    into.add(this.count, this.sum, this.min, this.max);
    if (this.samples !== undefined) {
      into.samples = into.samples === undefined ? this.samples : mergeReservoirs(into.samples, countBefore, this.samples, this.count, this.capacity, this.random);
    }
    this.before.add(this.count, this.sum, this.min, this.max);
    this.count = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.samples = undefined;
    this.nextReplaced = 0;
    this.weight = 1;
  }
}

/**
 * Merges two reservoirs, `a` standing for `countA` samples and `b` for `countB`, into one of at
 * most `capacity` samples standing for both: when both hold every sample and they fit, the union;
 * otherwise each contributes slots in proportion to the samples it stands for, drawn uniformly.
 */
function mergeReservoirs(a: number[], countA: number, b: readonly number[], countB: number, capacity: number, random: () => number): number[] {
  const exact = a.length === countA && b.length === countB;
  if (exact && a.length + b.length <= capacity) {
    for (const value of b) a.push(value);
    return a;
  }
  const size = Math.min(capacity, a.length + b.length);
  let fromA = Math.round((size * countA) / (countA + countB));
  fromA = Math.min(a.length, Math.max(size - b.length, fromA));
  const merged = pick(a, fromA, random);
  const fromB = pick(b.slice(), size - fromA, random);
  for (const value of fromB) merged.push(value);
  return merged;
}

/** `count` values of `values` chosen uniformly without replacement (partial Fisher–Yates; reorders `values`). */
function pick(values: number[], count: number, random: () => number): number[] {
  if (count >= values.length) return values;
  for (let index = 0; index < count; index++) {
    const other = index + Math.floor(random() * (values.length - index));
    const value = values[index]!;
    values[index] = values[other]!;
    values[other] = value;
  }
  values.length = count;
  return values;
}

function newBuckets(): Float64Array {
  const buckets = new Float64Array(BUCKET_SECONDS * SLOT);
  for (let base = 0; base < buckets.length; base += SLOT) buckets[base + SECOND] = -1;
  return buckets;
}

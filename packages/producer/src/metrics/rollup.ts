/**
 * Roll-up: turns the per-shard accumulators into the KPL's hierarchy of series (global, stream,
 * shard; ErrorsByCode with ErrorCode first), reading each accumulator exactly once. Runs at
 * export or snapshot time only, never on the hot path.
 */
import type { Accumulator } from './accumulator.js';
import { Stats } from './accumulator.js';
import { METRICS, MetricId, granularityIncludes, levelIncludes, type MetricDefinition } from './catalogue.js';
import type { MetricDatum, MetricDimension, MetricsExport, MetricsGranularity, MetricsLevel } from './sink.js';
import type { MetricsStore, StreamSeries } from './store.js';

/** One series of the hierarchy with its statistics. */
export interface SeriesNode {
  readonly metric: MetricDefinition;
  /** Ordered dimensions: ErrorCode, StreamName, ShardId (each only when present). */
  readonly dimensions: readonly MetricDimension[];
  /** `shard` if it has a ShardId, else `stream` if it has a StreamName, else `global` (ErrorCode does not count). */
  readonly granularity: MetricsGranularity;
  /** Every sample of the series (its own and its descendants'). */
  readonly stats: Stats;
  /** The samples recorded on this series itself, not through a descendant. */
  readonly own: Stats;
  /** True for the ErrorsByCode series without an ErrorCode: only the sum of the per-code series. */
  readonly rollupOnly: boolean;
}

/** Reads one accumulator's statistics (cumulative, a time window, or the export window) into `into`. */
export type AccumulatorReader = (accumulator: Accumulator, into: Stats) => void;

const NO_DIMENSIONS: readonly MetricDimension[] = Object.freeze([]);
const EMPTY = new Stats();

/** Every series of `metrics`, in catalogue order, each metric's global series first, then each stream followed by its shards. */
export function collectSeries(store: MetricsStore, read: AccumulatorReader, metrics: readonly MetricDefinition[] = METRICS): SeriesNode[] {
  const nodes: SeriesNode[] = [];
  for (const metric of metrics) {
    if (metric.id === MetricId.ErrorsByCode) collectErrorsByCode(store, read, metric, nodes);
    else collectMetric(store, read, metric, nodes);
  }
  return nodes;
}

function collectMetric(store: MetricsStore, read: AccumulatorReader, metric: MetricDefinition, nodes: SeriesNode[]): void {
  const global = new Stats();
  nodes.push({ metric, dimensions: NO_DIMENSIONS, granularity: 'global', stats: global, own: EMPTY, rollupOnly: false });
  for (const stream of store.streams.values()) {
    const own = new Stats();
    read(stream.direct[metric.id]!, own);
    const total = new Stats();
    total.merge(own, store.samplesPerDatum, store.random);
    const streamDimension: MetricDimension = { name: 'StreamName', value: stream.streamName };
    nodes.push({ metric, dimensions: [streamDimension], granularity: 'stream', stats: total, own, rollupOnly: false });
    if (metric.finest === 'shard') {
      for (const [shardId, accumulators] of stream.shards) {
        const shard = new Stats();
        read(accumulators[metric.id]!, shard);
        total.merge(shard, store.samplesPerDatum, store.random);
        const dimensions = [streamDimension, { name: 'ShardId', value: shardId } as const];
        nodes.push({ metric, dimensions, granularity: 'shard', stats: shard, own: shard, rollupOnly: false });
      }
    }
    global.merge(total, store.samplesPerDatum, store.random);
  }
}

function collectErrorsByCode(store: MetricsStore, read: AccumulatorReader, metric: MetricDefinition, nodes: SeriesNode[]): void {
  const root = new Stats();
  nodes.push({ metric, dimensions: NO_DIMENSIONS, granularity: 'global', stats: root, own: EMPTY, rollupOnly: true });
  for (const code of errorCodes(store.streams.values())) {
    const codeDimension: MetricDimension = { name: 'ErrorCode', value: code };
    const codeStats = new Stats();
    nodes.push({ metric, dimensions: [codeDimension], granularity: 'global', stats: codeStats, own: EMPTY, rollupOnly: false });
    for (const stream of store.streams.values()) {
      const direct = stream.errorsDirect.get(code);
      const byShard = stream.errorsByShard.get(code);
      if (direct === undefined && byShard === undefined) continue;
      const own = new Stats();
      if (direct !== undefined) read(direct, own);
      const total = new Stats();
      total.merge(own, store.samplesPerDatum, store.random);
      const streamDimension: MetricDimension = { name: 'StreamName', value: stream.streamName };
      nodes.push({ metric, dimensions: [codeDimension, streamDimension], granularity: 'stream', stats: total, own, rollupOnly: false });
      if (byShard === undefined) {
        codeStats.merge(total, store.samplesPerDatum, store.random);
        continue;
      }
      for (const [shardId, accumulator] of byShard) {
        const shard = new Stats();
        read(accumulator, shard);
        total.merge(shard, store.samplesPerDatum, store.random);
        const dimensions = [codeDimension, streamDimension, { name: 'ShardId', value: shardId } as const];
        nodes.push({ metric, dimensions, granularity: 'shard', stats: shard, own: shard, rollupOnly: false });
      }
      codeStats.merge(total, store.samplesPerDatum, store.random);
    }
    root.merge(codeStats, store.samplesPerDatum, store.random);
  }
}

function errorCodes(streams: Iterable<StreamSeries>): string[] {
  const codes = new Set<string>();
  for (const stream of streams) {
    for (const code of stream.errorsDirect.keys()) codes.add(code);
    for (const code of stream.errorsByShard.keys()) codes.add(code);
  }
  return [...codes];
}

/**
 * Takes the statistics recorded since the previous export (starting a new window for every
 * series) and shapes them as the sink sees them: the filtered hierarchy and its leaf partition.
 */
export function takeExport(
  store: MetricsStore,
  level: MetricsLevel,
  granularity: MetricsGranularity,
  startTime: number,
  endTime: number,
): MetricsExport {
  const nodes = collectSeries(store, (accumulator, into) => accumulator.takeExport(into));
  const datums: MetricDatum[] = [];
  const leafDatums: MetricDatum[] = [];
  for (const node of nodes) {
    if (node.stats.count === 0 || !levelIncludes(level, node.metric.level)) continue;
    if (granularityIncludes(granularity, node.granularity)) datums.push(toDatum(node.metric, node.dimensions, node.stats));
    if (node.rollupOnly) continue;
    if (node.granularity === granularity) leafDatums.push(toDatum(node.metric, node.dimensions, node.stats));
    else if (granularity === 'shard' && node.granularity === 'stream' && node.own.count > 0) {
      leafDatums.push(toDatum(node.metric, node.dimensions, node.own));
    }
  }
  return { startTime, endTime, datums, leafDatums };
}

function toDatum(metric: MetricDefinition, dimensions: readonly MetricDimension[], stats: Stats): MetricDatum {
  const datum = {
    name: metric.name,
    unit: metric.unit,
    dimensions,
    sampleCount: stats.count,
    sum: stats.sum,
    minimum: stats.min,
    maximum: stats.max,
  };
  return metric.keepsSamples && stats.samples !== undefined ? { ...datum, samples: withExtremes(stats) } : datum;
}

/**
 * The reservoir as exported: when it holds only part of the window, its smallest and largest
 * values are replaced by the window's exact minimum and maximum, so that a backend computing
 * min/max from the samples gets them right. A copy: the same statistics feed several datums.
 */
function withExtremes(stats: Stats): number[] {
  if (stats.samples!.length >= stats.count || stats.samples!.length < 2) return stats.samples!;
  const samples = stats.samples!.slice();
  let lowest = 0;
  let highest = 0;
  for (let index = 1; index < samples.length; index++) {
    if (samples[index]! < samples[lowest]!) lowest = index;
    if (samples[index]! > samples[highest]!) highest = index;
  }
  if (lowest === highest) highest = lowest === 0 ? 1 : 0;
  samples[lowest] = stats.min;
  samples[highest] = stats.max;
  return samples;
}

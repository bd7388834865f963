/**
 * `OpenTelemetrySink`: the producer's metrics on an OpenTelemetry `Meter`. Counts and byte
 * totals go to monotonic counters (their sums equal the KPL's), the distributions to histograms
 * fed with the individual samples, and UserRecordsPending to a gauge.
 */
import type { Attributes, Counter, Gauge, Histogram, Meter, MeterProvider } from '@opentelemetry/api';
import type { MetricDatum, MetricName, MetricsExport, MetricsSink } from '@tskpl/producer';
import { OpenTelemetrySinkOptionError } from './errors.js';
import { OTEL_ATTRIBUTES, OTEL_MAPPING } from './mapping.js';

/** Options of {@link OpenTelemetrySink}: a `meter`, or a `meterProvider` to get one from. */
export interface OpenTelemetrySinkOptions {
  /** The meter the instruments are created on. Give this or `meterProvider`. */
  readonly meter?: Meter;
  /** A meter provider; the sink takes its meter `meterName`. Give this or `meter`. */
  readonly meterProvider?: MeterProvider;
  /** Name of the meter taken from `meterProvider`. @defaultValue '@tskpl/producer' */
  readonly meterName?: string;
  /** Prefix of every instrument name (instrument name = prefix + KPL metric name). @defaultValue 'kpl.' */
  readonly namePrefix?: string;
}

type Instrument = { readonly kind: 'counter'; readonly counter: Counter }
  | { readonly kind: 'histogram'; readonly histogram: Histogram }
  | { readonly kind: 'gauge'; readonly gauge: Gauge };

const INSTRUMENT_NAME = /^[A-Za-z][A-Za-z0-9_./-]{0,254}$/;

/**
 * A {@link MetricsSink} recording on OpenTelemetry instruments. It reads the export's leaf view
 * (each sample once, at the finest `metricsGranularity`), so sums over all attributes equal the
 * KPL's totals. Attributes: `aws.kinesis.stream_name`, `aws.kinesis.shard_id`, `error.type`.
 */
export class OpenTelemetrySink implements MetricsSink {
  readonly #instruments: ReadonlyMap<MetricName, Instrument>;

  constructor(options: OpenTelemetrySinkOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new OpenTelemetrySinkOptionError('options', options, 'an object with meter or meterProvider');
    }
    const meter = resolveMeter(options);
    const prefix = options.namePrefix ?? 'kpl.';
    if (typeof prefix !== 'string' || !INSTRUMENT_NAME.test(`${prefix}UserRecordsPerPutRecordsRequest`)) {
      throw new OpenTelemetrySinkOptionError('namePrefix', prefix, 'a string that starts with a letter and holds only letters, digits, "_", ".", "/" or "-"');
    }
    const instruments = new Map<MetricName, Instrument>();
    for (const [name, mapping] of Object.entries(OTEL_MAPPING) as [MetricName, (typeof OTEL_MAPPING)[MetricName]][]) {
      const instrumentOptions = { unit: mapping.unit, description: mapping.description };
      const instrumentName = `${prefix}${name}`;
      if (mapping.kind === 'counter') instruments.set(name, { kind: 'counter', counter: meter.createCounter(instrumentName, instrumentOptions) });
      else if (mapping.kind === 'histogram') instruments.set(name, { kind: 'histogram', histogram: meter.createHistogram(instrumentName, instrumentOptions) });
      else instruments.set(name, { kind: 'gauge', gauge: meter.createGauge(instrumentName, instrumentOptions) });
    }
    this.#instruments = instruments;
  }

  /** Records one export window on the instruments. Synchronous; the OpenTelemetry SDK exports on its own schedule. */
  export(batch: MetricsExport): void {
    for (const datum of batch.leafDatums) {
      const instrument = this.#instruments.get(datum.name);
      if (instrument === undefined || datum.sampleCount === 0) continue;
      const attributes = attributesOf(datum);
      if (instrument.kind === 'counter') instrument.counter.add(datum.sum, attributes);
      else if (instrument.kind === 'histogram') recordSamples(instrument.histogram, datum, attributes);
      else instrument.gauge.record(gaugeValue(datum), attributes);
    }
  }

  /** Nothing to release: the meter and its provider belong to the caller. */
  shutdown(): void {}
}

function resolveMeter(options: OpenTelemetrySinkOptions): Meter {
  const { meter, meterProvider } = options;
  if (meter !== undefined && meterProvider !== undefined) {
    throw new OpenTelemetrySinkOptionError('meterProvider', meterProvider, 'undefined when meter is given (give one of meter, meterProvider)');
  }
  if (meter !== undefined) {
    if (!isMeter(meter)) throw new OpenTelemetrySinkOptionError('meter', meter, 'an OpenTelemetry Meter (with createCounter, createHistogram, createGauge)');
    return meter;
  }
  if (meterProvider === undefined || typeof meterProvider !== 'object' || typeof meterProvider.getMeter !== 'function') {
    throw new OpenTelemetrySinkOptionError('meterProvider', meterProvider, 'an OpenTelemetry MeterProvider (or give meter)');
  }
  const meterName = options.meterName ?? '@tskpl/producer';
  if (typeof meterName !== 'string' || meterName.length === 0) {
    throw new OpenTelemetrySinkOptionError('meterName', meterName, 'a non-empty string');
  }
  const provided = meterProvider.getMeter(meterName);
  if (!isMeter(provided)) throw new OpenTelemetrySinkOptionError('meterProvider', meterProvider, 'a MeterProvider whose meters have createGauge (@opentelemetry/api ≥ 1.9)');
  return provided;
}

function isMeter(value: unknown): value is Meter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Meter>;
  return typeof candidate.createCounter === 'function' && typeof candidate.createHistogram === 'function' && typeof candidate.createGauge === 'function';
}

function attributesOf(datum: MetricDatum): Attributes {
  const attributes: Attributes = {};
  for (const dimension of datum.dimensions) attributes[OTEL_ATTRIBUTES[dimension.name]] = dimension.value;
  return attributes;
}

/**
 * Feeds every sample to the histogram. When the export capped the samples, the rest are fed at
 * their mean, so the histogram's count and sum still equal the KPL's.
 */
function recordSamples(histogram: Histogram, datum: MetricDatum, attributes: Attributes): void {
  const samples = datum.samples ?? [];
  let keptSum = 0;
  for (const sample of samples) {
    histogram.record(sample, attributes);
    keptSum += sample;
  }
  const rest = datum.sampleCount - samples.length;
  if (rest <= 0) return;
  const restMean = (datum.sum - keptSum) / rest;
  for (let index = 0; index < rest; index++) histogram.record(restMean, attributes);
}

/** A stream's last sample; for the global series (no stream), the window's mean, as the KPL's Average. */
function gaugeValue(datum: MetricDatum): number {
  const samples = datum.samples;
  const hasStream = datum.dimensions.some((dimension) => dimension.name === 'StreamName');
  if (hasStream && samples !== undefined && samples.length > 0) return samples[samples.length - 1]!;
  return datum.sum / datum.sampleCount;
}

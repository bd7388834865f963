/**
 * `OpenTelemetrySink`: the producer's metrics on an OpenTelemetry `Meter`. Counts and byte
 * totals go to monotonic counters (their sums equal the KPL's; UserRecordsPut and
 * KinesisRecordsPut split by an `outcome` attribute), the distributions to histograms fed with
 * a bounded set of representative samples plus two counters with their exact count and sum,
 * and UserRecordsPending to an observable gauge read at collection time.
 */
import type { Attributes, Counter, Histogram, Meter, MeterProvider, ObservableGauge, ObservableResult } from '@opentelemetry/api';
import type { MetricDatum, MetricDimension, MetricName, MetricsExport, MetricsSink, MetricsSinkContext, MetricValue } from '@tskpl/producer';
import { MAX_SAMPLES_PER_DATUM } from '@tskpl/producer';
import { OpenTelemetrySinkOptionError } from './errors.js';
import { COUNT_SUFFIX, OTEL_ATTRIBUTES, OTEL_MAPPING, OUTCOME_ATTRIBUTE, OUTCOME_FAILURE, OUTCOME_SUCCESS, SUM_SUFFIX } from './mapping.js';

/** Representative samples per distribution series and window by default (each costs one `Histogram.record`). */
export const DEFAULT_OTEL_SAMPLES_PER_DATUM = 16;

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
  /**
   * Representative samples recorded on a distribution's histogram per series and export window,
   * 1 … 10000 (all of them when the window has fewer). Export time grows with it.
   * @defaultValue 16
   */
  readonly samplesPerDatum?: number;
}

type Instrument =
  | { readonly kind: 'counter'; readonly counter: Counter }
  | { readonly kind: 'outcome-counter'; readonly counter: Counter }
  | { readonly kind: 'histogram'; readonly histogram: Histogram; readonly count: Counter; readonly sum: Counter }
  | { readonly kind: 'observable-gauge'; readonly gauge: ObservableGauge };

const INSTRUMENT_NAME = /^[A-Za-z][A-Za-z0-9_./-]{0,254}$/;

/**
 * A {@link MetricsSink} recording on OpenTelemetry instruments. It reads the export's leaf view
 * (each sample once, at the finest `metricsGranularity`), so sums over all attributes equal the
 * KPL's totals. Attributes: `aws.kinesis.stream_name`, `aws.kinesis.shard_id`, `error.type`,
 * and `outcome` on UserRecordsPut and KinesisRecordsPut.
 */
export class OpenTelemetrySink implements MetricsSink {
  /** Representative samples per distribution datum, read once by the producer. */
  readonly samplesPerDatum: number;
  readonly #instruments: ReadonlyMap<MetricName, Instrument>;
  readonly #pendingGauge: ObservableGauge;
  readonly #observePending = (result: ObservableResult) => this.#observe(result);
  #context: MetricsSinkContext | undefined;
  /** UserRecordsPending of the last export, for a sink used without a producer (no context attached). */
  #lastPending: readonly MetricValue[] = [];

  constructor(options: OpenTelemetrySinkOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new OpenTelemetrySinkOptionError('options', options, 'an object with meter or meterProvider');
    }
    const meter = resolveMeter(options);
    const prefix = options.namePrefix ?? 'kpl.';
    if (typeof prefix !== 'string' || !INSTRUMENT_NAME.test(`${prefix}UserRecordsPerPutRecordsRequest${COUNT_SUFFIX}`)) {
      throw new OpenTelemetrySinkOptionError('namePrefix', prefix, 'a string that starts with a letter and holds only letters, digits, "_", ".", "/" or "-"');
    }
    const samplesPerDatum = options.samplesPerDatum ?? DEFAULT_OTEL_SAMPLES_PER_DATUM;
    if (typeof samplesPerDatum !== 'number' || !Number.isInteger(samplesPerDatum) || samplesPerDatum < 1 || samplesPerDatum > MAX_SAMPLES_PER_DATUM) {
      throw new OpenTelemetrySinkOptionError('samplesPerDatum', samplesPerDatum, `an integer in 1 … ${MAX_SAMPLES_PER_DATUM}`);
    }
    this.samplesPerDatum = samplesPerDatum;
    const instruments = new Map<MetricName, Instrument>();
    let pendingGauge: ObservableGauge | undefined;
    for (const [name, mapping] of Object.entries(OTEL_MAPPING) as [MetricName, (typeof OTEL_MAPPING)[MetricName]][]) {
      const instrumentOptions = { unit: mapping.unit, description: mapping.description };
      const instrumentName = `${prefix}${name}`;
      if (mapping.kind === 'counter' || mapping.kind === 'outcome-counter') {
        instruments.set(name, { kind: mapping.kind, counter: meter.createCounter(instrumentName, instrumentOptions) });
      } else if (mapping.kind === 'histogram') {
        instruments.set(name, {
          kind: 'histogram',
          histogram: meter.createHistogram(instrumentName, instrumentOptions),
          count: meter.createCounter(`${instrumentName}${COUNT_SUFFIX}`, { unit: '{sample}', description: `Exact number of ${name} samples.` }),
          sum: meter.createCounter(`${instrumentName}${SUM_SUFFIX}`, { unit: mapping.unit, description: `Exact sum of the ${name} samples.` }),
        });
      } else {
        pendingGauge = meter.createObservableGauge(instrumentName, instrumentOptions);
        instruments.set(name, { kind: 'observable-gauge', gauge: pendingGauge });
      }
    }
    this.#instruments = instruments;
    this.#pendingGauge = pendingGauge!;
    this.#pendingGauge.addCallback(this.#observePending);
  }

  /** Called by the producer: UserRecordsPending is then read from it at each collection. */
  attach(context: MetricsSinkContext): void {
    this.#context = context;
  }

  /**
   * Records one export window on the instruments: one call per counter series and, per
   * distribution series, at most `samplesPerDatum` histogram records plus its exact count and
   * sum. Synchronous; the OpenTelemetry SDK exports on its own schedule.
   */
  export(batch: MetricsExport): void {
    const pending: MetricValue[] = [];
    for (const datum of batch.leafDatums) {
      const instrument = this.#instruments.get(datum.name);
      if (instrument === undefined || datum.sampleCount === 0) continue;
      const attributes = attributesOf(datum.dimensions);
      if (instrument.kind === 'counter') instrument.counter.add(datum.sum, attributes);
      else if (instrument.kind === 'outcome-counter') {
        instrument.counter.add(datum.sum, { ...attributes, [OUTCOME_ATTRIBUTE]: OUTCOME_SUCCESS });
        instrument.counter.add(datum.sampleCount - datum.sum, { ...attributes, [OUTCOME_ATTRIBUTE]: OUTCOME_FAILURE });
      } else if (instrument.kind === 'histogram') {
        for (const sample of datum.samples ?? extremesOf(datum)) instrument.histogram.record(sample, attributes);
        instrument.count.add(datum.sampleCount, attributes);
        instrument.sum.add(datum.sum, attributes);
      } else pending.push({ dimensions: datum.dimensions, value: datum.sum / datum.sampleCount });
    }
    if (pending.length > 0) this.#lastPending = pending;
  }

  /** Stops reporting UserRecordsPending; the meter and its provider belong to the caller. */
  shutdown(): void {
    this.#pendingGauge.removeCallback(this.#observePending);
  }

  #observe(result: ObservableResult): void {
    const values = this.#context === undefined ? this.#lastPending : this.#context.userRecordsPending();
    for (const { dimensions, value } of values) result.observe(value, attributesOf(dimensions));
  }
}

function resolveMeter(options: OpenTelemetrySinkOptions): Meter {
  const { meter, meterProvider } = options;
  if (meter !== undefined && meterProvider !== undefined) {
    throw new OpenTelemetrySinkOptionError('meterProvider', meterProvider, 'undefined when meter is given (give one of meter, meterProvider)');
  }
  if (meter !== undefined) {
    if (!isMeter(meter)) throw new OpenTelemetrySinkOptionError('meter', meter, 'an OpenTelemetry Meter (with createCounter, createHistogram, createObservableGauge)');
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
  if (!isMeter(provided)) throw new OpenTelemetrySinkOptionError('meterProvider', meterProvider, 'a MeterProvider whose meters have createCounter, createHistogram and createObservableGauge');
  return provided;
}

function isMeter(value: unknown): value is Meter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Meter>;
  return typeof candidate.createCounter === 'function' && typeof candidate.createHistogram === 'function' && typeof candidate.createObservableGauge === 'function';
}

/** Without samples (a core that kept none), the exact minimum and maximum are the best representatives. */
function extremesOf(datum: MetricDatum): number[] {
  return datum.sampleCount === 1 ? [datum.minimum] : [datum.minimum, datum.maximum];
}

function attributesOf(dimensions: readonly MetricDimension[]): Attributes {
  const attributes: Attributes = {};
  for (const dimension of dimensions) attributes[OTEL_ATTRIBUTES[dimension.name]] = dimension.value;
  return attributes;
}

/**
 * `DatadogSink`: the producer's metrics as DogStatsD over `hot-shots`. Counts and byte totals
 * are counters (their sums equal the KPL's), distributions are sent sample by sample as
 * distributions (or histograms), UserRecordsPending as a gauge; stream, shard and error code are
 * tags.
 */
import type { MetricDatum, MetricsExport, MetricsSink } from '@tskpl/producer';
import { StatsD, type ClientOptions } from 'hot-shots';
import { DatadogSinkOptionError, DatadogSinkSendError } from './errors.js';
import { DATADOG_MAPPING, DATADOG_TAGS } from './mapping.js';

/** The part of a hot-shots `StatsD` client the sink uses. */
export type DatadogClient = Pick<StatsD, 'increment' | 'distribution' | 'histogram' | 'gauge' | 'close'> & Partial<Pick<StatsD, 'flush'>>;

/** Options of {@link DatadogSink}. */
export interface DatadogSinkOptions {
  /** DogStatsD agent host (when the sink creates the client). @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** DogStatsD agent UDP port (when the sink creates the client). @defaultValue 8125 */
  readonly port?: number;
  /** Prefix of every metric name (name = prefix + KPL metric name). @defaultValue 'kpl.' */
  readonly prefix?: string;
  /** Tags added to every metric, as `{ key: value }` or `['key:value']` (when the sink creates the client). */
  readonly globalTags?: Readonly<Record<string, string>> | readonly string[];
  /** Send distribution metrics as DogStatsD `distribution` (server-side percentiles) or `histogram` (agent-side). @defaultValue 'distribution' */
  readonly durations?: 'distribution' | 'histogram';
  /** A ready hot-shots `StatsD` client; then host, port and globalTags are not used, and `shutdown` does not close it. */
  readonly client?: DatadogClient;
}

/** The most bytes hot-shots puts in one UDP packet when the sink creates the client (fits a 1500-byte MTU). */
export const DEFAULT_MAX_BUFFER_SIZE = 1432;

/**
 * A {@link MetricsSink} sending DogStatsD. It reads the export's leaf view (each sample once, at
 * the finest `metricsGranularity`), so sums over all tags equal the KPL's totals.
 */
export class DatadogSink implements MetricsSink {
  readonly #client: DatadogClient;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #durations: 'distribution' | 'histogram';
  #sendErrors = 0;
  #lastSendError: Error | undefined;

  constructor(options: DatadogSinkOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new DatadogSinkOptionError('options', options, 'an object');
    const prefix = options.prefix ?? 'kpl.';
    if (typeof prefix !== 'string' || /[|:@#\s]/.test(prefix)) {
      throw new DatadogSinkOptionError('prefix', prefix, 'a string without "|", ":", "@", "#" or whitespace');
    }
    const durations = options.durations ?? 'distribution';
    if (durations !== 'distribution' && durations !== 'histogram') {
      throw new DatadogSinkOptionError('durations', durations, "'distribution' or 'histogram'");
    }
    this.#prefix = prefix;
    this.#durations = durations;
    if (options.client !== undefined) {
      const client = options.client as Partial<DatadogClient> | null;
      if (typeof client !== 'object' || client === null || typeof client.increment !== 'function' || typeof client.gauge !== 'function') {
        throw new DatadogSinkOptionError('client', options.client, 'a hot-shots StatsD client');
      }
      this.#client = options.client;
      this.#ownsClient = false;
      return;
    }
    this.#client = new StatsD(clientOptions(options, (error) => this.#onSendError(error)));
    this.#ownsClient = true;
  }

  /** Sends one export window; resolves once hot-shots has handed the lines to the socket. */
  export(batch: MetricsExport): Promise<void> {
    const errorsBefore = this.#sendErrors;
    for (const datum of batch.leafDatums) {
      if (datum.sampleCount === 0) continue;
      const name = this.#prefix + datum.name;
      const tags = tagsOf(datum);
      const kind = DATADOG_MAPPING[datum.name];
      if (kind === 'count') this.#client.increment(name, datum.sum, tags);
      else if (kind === 'gauge') this.#client.gauge(name, gaugeValue(datum), tags);
      else this.#sendSamples(name, datum, tags);
    }
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        if (error !== undefined) reject(new DatadogSinkSendError(`Sending metrics to DogStatsD failed: ${error.message}`, { cause: error }));
        else if (this.#sendErrors > errorsBefore) {
          reject(new DatadogSinkSendError(`Sending metrics to DogStatsD failed ${this.#sendErrors - errorsBefore} time(s): ${this.#lastSendError?.message}`, { cause: this.#lastSendError }));
        } else resolve();
      };
      if (typeof this.#client.flush === 'function') this.#client.flush(done);
      else done();
    });
  }

  /** Closes the client the sink created (flushing what is buffered); a client given in the options is left open. */
  shutdown(): Promise<void> {
    if (!this.#ownsClient) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#client.close((error) => (error ? reject(new DatadogSinkSendError(`Closing the DogStatsD client failed: ${error.message}`, { cause: error })) : resolve()));
    });
  }

  #onSendError(error: Error): void {
    this.#sendErrors++;
    this.#lastSendError = error;
  }

  /** Sends every sample; when the export capped them, the rest at their mean so count and sum stay exact. */
  #sendSamples(name: string, datum: MetricDatum, tags: string[]): void {
    const send = this.#durations === 'distribution'
      ? (value: number) => this.#client.distribution(name, value, tags)
      : (value: number) => this.#client.histogram(name, value, tags);
    const samples = datum.samples ?? [];
    let keptSum = 0;
    for (const sample of samples) {
      send(sample);
      keptSum += sample;
    }
    const rest = datum.sampleCount - samples.length;
    if (rest <= 0) return;
    const restMean = (datum.sum - keptSum) / rest;
    for (let index = 0; index < rest; index++) send(restMean);
  }
}

function clientOptions(options: DatadogSinkOptions, errorHandler: (error: Error) => void): ClientOptions {
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) throw new DatadogSinkOptionError('host', host, 'a non-empty host name or address');
  const port = options.port ?? 8125;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new DatadogSinkOptionError('port', port, 'an integer in 1 … 65535');
  }
  const globalTags = options.globalTags;
  if (globalTags !== undefined && (typeof globalTags !== 'object' || globalTags === null)) {
    throw new DatadogSinkOptionError('globalTags', globalTags, "an object of tag values or an array of 'key:value' strings");
  }
  return {
    host,
    port,
    protocol: 'udp',
    maxBufferSize: DEFAULT_MAX_BUFFER_SIZE,
    includeDatadogTelemetry: false,
    errorHandler,
    ...(globalTags === undefined ? {} : { globalTags: Array.isArray(globalTags) ? [...globalTags] : { ...(globalTags as Record<string, string>) } }),
  };
}

function tagsOf(datum: MetricDatum): string[] {
  const tags: string[] = [];
  for (const dimension of datum.dimensions) tags.push(`${DATADOG_TAGS[dimension.name]}:${dimension.value}`);
  return tags;
}

/** A stream's last sample; for the global series (no stream), the window's mean, as the KPL's Average. */
function gaugeValue(datum: MetricDatum): number {
  const samples = datum.samples;
  const hasStream = datum.dimensions.some((dimension) => dimension.name === 'StreamName');
  if (hasStream && samples !== undefined && samples.length > 0) return samples[samples.length - 1]!;
  return datum.sum / datum.sampleCount;
}

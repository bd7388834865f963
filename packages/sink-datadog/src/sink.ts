/**
 * `DatadogSink`: the producer's metrics as DogStatsD over `hot-shots`. Counts and byte totals
 * are counters (their sums equal the KPL's); each distribution series is sent as one line of
 * packed representative samples with the sample-rate field (`|@rate`) set so that the agent's
 * counts equal the window's; UserRecordsPending is a gauge read fresh at export; stream, shard
 * and error code are tags.
 */
import type { MetricDatum, MetricDimension, MetricsExport, MetricsSink, MetricsSinkContext } from '@tskpl/producer';
import { MAX_SAMPLES_PER_DATUM } from '@tskpl/producer';
import { StatsD, type ClientOptions } from 'hot-shots';
import { DatadogSinkOptionError, DatadogSinkSendError } from './errors.js';
import { DATADOG_MAPPING, DATADOG_TAGS } from './mapping.js';

/** The part of a hot-shots `StatsD` client the sink uses (hot-shots clients also have the untyped `send` it writes packed lines with). */
export type DatadogClient = Pick<StatsD, 'increment' | 'distribution' | 'histogram' | 'gauge' | 'close'> & Partial<Pick<StatsD, 'flush'>>;

/** hot-shots' raw line writer: adds the client's global tags and `tags`, then buffers or sends the line. */
type RawSend = (message: string, tags: string[], callback?: (error?: Error) => void) => void;

/** Representative samples per distribution series and window by default: one packed DogStatsD line. */
export const DEFAULT_DATADOG_SAMPLES_PER_DATUM = 64;

/** The most sample bytes put in one packed line (so that a line fits a 1432-byte packet with its tags). */
const MAX_PACKED_VALUE_BYTES = 900;

/** Options of {@link DatadogSink}. */
export interface DatadogSinkOptions {
  /** DogStatsD agent host (when the sink creates the client). @defaultValue hot-shots' own: `DD_AGENT_HOST`, `DD_DOGSTATSD_URL` or `DD_DOGSTATSD_SOCKET`, else localhost */
  readonly host?: string;
  /** DogStatsD agent UDP port (when the sink creates the client). @defaultValue hot-shots' own: `DD_DOGSTATSD_PORT`, else 8125 */
  readonly port?: number;
  /** Prefix of every metric name (name = prefix + KPL metric name). @defaultValue 'kpl.' */
  readonly prefix?: string;
  /** Tags added to every metric, as `{ key: value }` or `['key:value']` (when the sink creates the client). */
  readonly globalTags?: Readonly<Record<string, string>> | readonly string[];
  /** Send distribution metrics as DogStatsD `distribution` (server-side percentiles) or `histogram` (agent-side). @defaultValue 'distribution' */
  readonly durations?: 'distribution' | 'histogram';
  /** A ready hot-shots `StatsD` client; then host, port and globalTags are not used, and `shutdown` does not close it. */
  readonly client?: DatadogClient;
  /**
   * Representative samples sent per distribution series and export window, 1 … 10000 (all of
   * them when the window has fewer), packed into as few lines as fit a packet.
   * @defaultValue 64
   */
  readonly samplesPerDatum?: number;
}

/** The most bytes hot-shots puts in one UDP packet when the sink creates the client (fits a 1500-byte MTU). */
export const DEFAULT_MAX_BUFFER_SIZE = 1432;

/**
 * A {@link MetricsSink} sending DogStatsD. It reads the export's leaf view (each sample once, at
 * the finest `metricsGranularity`), so sums over all tags equal the KPL's totals.
 */
export class DatadogSink implements MetricsSink {
  /** Representative samples per distribution datum, read once by the producer. */
  readonly samplesPerDatum: number;
  readonly #client: DatadogClient;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #type: 'd' | 'h';
  #context: MetricsSinkContext | undefined;
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
    const samplesPerDatum = options.samplesPerDatum ?? DEFAULT_DATADOG_SAMPLES_PER_DATUM;
    if (typeof samplesPerDatum !== 'number' || !Number.isInteger(samplesPerDatum) || samplesPerDatum < 1 || samplesPerDatum > MAX_SAMPLES_PER_DATUM) {
      throw new DatadogSinkOptionError('samplesPerDatum', samplesPerDatum, `an integer in 1 … ${MAX_SAMPLES_PER_DATUM}`);
    }
    this.samplesPerDatum = samplesPerDatum;
    this.#prefix = prefix;
    this.#type = durations === 'distribution' ? 'd' : 'h';
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

  /** Called by the producer: UserRecordsPending is then read fresh at each export. */
  attach(context: MetricsSinkContext): void {
    this.#context = context;
  }

  /**
   * Sends one export window: one line per counter series, a few packed lines per distribution
   * series, a gauge per stream; resolves once hot-shots has handed the lines to the socket.
   */
  export(batch: MetricsExport): Promise<void> {
    const errorsBefore = this.#sendErrors;
    const context = this.#context;
    for (const datum of batch.leafDatums) {
      if (datum.sampleCount === 0) continue;
      const name = this.#prefix + datum.name;
      const kind = DATADOG_MAPPING[datum.name];
      if (kind === 'count') this.#client.increment(name, datum.sum, tagsOf(datum.dimensions));
      else if (kind === 'duration') this.#sendSamples(name, datum, tagsOf(datum.dimensions));
      else if (context === undefined) this.#client.gauge(name, datum.sum / datum.sampleCount, tagsOf(datum.dimensions));
    }
    if (context !== undefined) {
      const name = `${this.#prefix}UserRecordsPending`;
      for (const { dimensions, value } of context.userRecordsPending()) this.#client.gauge(name, value, tagsOf(dimensions));
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

  /**
   * Sends the datum's representative samples packed `name:v1:v2:…|d|@rate` (DogStatsD protocol
   * 1.1), `rate` being kept / sampleCount, so that the agent counts `sampleCount` samples. The
   * samples include the window's exact minimum and maximum. A client without hot-shots' `send`
   * gets one call per sample at rate 1 instead.
   */
  #sendSamples(name: string, datum: MetricDatum, tags: string[]): void {
    const samples = datum.samples ?? (datum.sampleCount === 1 ? [datum.minimum] : [datum.minimum, datum.maximum]);
    const client = this.#client as DatadogClient & { send?: RawSend; prefix?: string; suffix?: string };
    if (typeof client.send !== 'function') {
      for (const sample of samples) {
        if (this.#type === 'd') client.distribution(name, sample, tags);
        else client.histogram(name, sample, tags);
      }
      return;
    }
    const rate = samples.length / datum.sampleCount;
    const tail = rate < 1 ? `|${this.#type}|@${rate}` : `|${this.#type}`;
    const head = `${client.prefix ?? ''}${name}${client.suffix ?? ''}`;
    let values = '';
    for (const sample of samples) {
      values += `:${sample}`;
      if (values.length >= MAX_PACKED_VALUE_BYTES) {
        client.send(head + values + tail, tags);
        values = '';
      }
    }
    if (values.length > 0) client.send(head + values + tail, tags);
  }
}

/** hot-shots options carrying only what the user set, so that hot-shots' own environment handling applies to the rest. */
function clientOptions(options: DatadogSinkOptions, errorHandler: (error: Error) => void): ClientOptions {
  const { host, port, globalTags } = options;
  if (host !== undefined && (typeof host !== 'string' || host.length === 0)) throw new DatadogSinkOptionError('host', host, 'a non-empty host name or address');
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535)) {
    throw new DatadogSinkOptionError('port', port, 'an integer in 1 … 65535');
  }
  if (globalTags !== undefined && (typeof globalTags !== 'object' || globalTags === null)) {
    throw new DatadogSinkOptionError('globalTags', globalTags, "an object of tag values or an array of 'key:value' strings");
  }
  return {
    ...(host === undefined ? {} : { host }),
    ...(port === undefined ? {} : { port }),
    maxBufferSize: DEFAULT_MAX_BUFFER_SIZE,
    includeDatadogTelemetry: false,
    errorHandler,
    ...(globalTags === undefined ? {} : { globalTags: Array.isArray(globalTags) ? [...globalTags] : { ...(globalTags as Record<string, string>) } }),
  };
}

function tagsOf(dimensions: readonly MetricDimension[]): string[] {
  const tags: string[] = [];
  for (const dimension of dimensions) tags.push(`${DATADOG_TAGS[dimension.name]}:${dimension.value}`);
  return tags;
}

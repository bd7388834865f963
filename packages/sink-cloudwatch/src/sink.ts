/**
 * `CloudWatchSink`: the producer's metrics as CloudWatch `PutMetricData` statistic sets, the way
 * the KPL uploads them: every series of the hierarchy (shard, stream, global, within
 * `metricsGranularity`), the KPL's units, blank dimensions omitted, at most 20 datums per
 * request. Throttling and transient failures are retried with jittered backoff on an injected
 * clock; requests run in the background and are bounded, so the producer is never blocked.
 */
import {
  CloudWatchClient,
  PutMetricDataCommand,
  type CloudWatchClientConfig,
  type MetricDatum as CloudWatchDatum,
} from '@aws-sdk/client-cloudwatch';
import type { MetricsExport, MetricsSink } from '@tskpl/producer';
import { KPL_MAX_DATUMS_PER_REQUEST, KPL_MAX_REQUEST_BYTES, toBatches } from './batches.js';
import { sleep, systemSinkClock, type SinkClock } from './clock/clock.js';
import { CloudWatchSinkOptionError, CloudWatchSinkSendError } from './errors.js';
import { backoffDelayMs, classifyFailure } from './retry.js';

/** The part of a `CloudWatchClient` the sink uses. */
export type CloudWatchSendClient = Pick<CloudWatchClient, 'send' | 'destroy'>;

/** Options of {@link CloudWatchSink}. */
export interface CloudWatchSinkOptions {
  /** CloudWatch namespace of the metrics (KPL: `MetricsNamespace`, default there `KinesisProducerLibrary`). */
  readonly namespace: string;
  /** AWS region (when the sink creates the client). @defaultValue the SDK's region chain */
  readonly region?: string;
  /** Endpoint URL (when the sink creates the client), e.g. a VPC endpoint. */
  readonly endpoint?: string;
  /** Credentials or a credential provider (when the sink creates the client). @defaultValue the SDK's default chain */
  readonly credentials?: CloudWatchClientConfig['credentials'];
  /** A ready client; then region, endpoint and credentials are not used, and `shutdown` does not destroy it. */
  readonly client?: CloudWatchSendClient;
  /** Datums per PutMetricData request, 1 … 1000. @defaultValue 20 (the KPL's) */
  readonly maxDatumsPerRequest?: number;
  /** Estimated payload bytes per request, 1024 … 1048576. @defaultValue 38912 (38 KiB, the KPL's) */
  readonly maxRequestBytes?: number;
  /** Attempts per request, throttled or transient failures included, 1 … 10. @defaultValue 3 (the KPL's SDK default of 2 retries) */
  readonly maxAttempts?: number;
  /** Backoff base in milliseconds; retry n waits a random time below min(maxBackoffMs, base × 2^n). @defaultValue 500 */
  readonly backoffBaseMs?: number;
  /** Longest backoff in milliseconds. @defaultValue 10000 */
  readonly maxBackoffMs?: number;
  /** Requests (with their retries) allowed in flight; further batches are dropped and reported. 1 … 10000. @defaultValue 200 */
  readonly maxPendingRequests?: number;
  /** CloudWatch storage resolution in seconds: 60 (standard) or 1 (high resolution). @defaultValue 60 */
  readonly storageResolution?: 1 | 60;
  /** Timers and randomness for the backoff; tests inject a fake. @defaultValue real unref'ed timers */
  readonly clock?: SinkClock;
}

interface ResolvedOptions {
  readonly namespace: string;
  readonly maxDatums: number;
  readonly maxBytes: number;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly maxBackoffMs: number;
  readonly maxPendingRequests: number;
  readonly storageResolution: 1 | 60;
}

/** A {@link MetricsSink} uploading to Amazon CloudWatch like the KPL does. */
export class CloudWatchSink implements MetricsSink {
  readonly #client: CloudWatchSendClient;
  readonly #ownsClient: boolean;
  readonly #clock: SinkClock;
  readonly #options: ResolvedOptions;
  readonly #inFlight = new Set<Promise<unknown>>();
  #pendingRequests = 0;
  #closed = false;

  constructor(options: CloudWatchSinkOptions) {
    if (typeof options !== 'object' || options === null) throw new CloudWatchSinkOptionError('options', options, 'an object with a namespace');
    this.#options = resolveOptions(options);
    this.#clock = options.clock ?? systemSinkClock;
    if (options.client !== undefined) {
      if (typeof options.client !== 'object' || options.client === null || typeof options.client.send !== 'function') {
        throw new CloudWatchSinkOptionError('client', options.client, 'a CloudWatchClient');
      }
      this.#client = options.client;
      this.#ownsClient = false;
    } else {
      this.#client = new CloudWatchClient({
        ...(options.region === undefined ? {} : { region: options.region }),
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        // The sink owns retries (with backoff on its clock), as the producer does for Kinesis.
        maxAttempts: 1,
      });
      this.#ownsClient = true;
    }
  }

  /**
   * Sends one export window. The promise settles when every request has succeeded or given up;
   * it rejects with a {@link CloudWatchSinkSendError} counting what was not stored.
   */
  export(batch: MetricsExport): Promise<void> {
    const batches = toBatches(batch, {
      maxDatums: this.#options.maxDatums,
      maxBytes: this.#options.maxBytes,
      storageResolution: this.#options.storageResolution,
    });
    if (batches.length === 0) return Promise.resolve();
    const sends: Promise<void>[] = [];
    let droppedRequests = 0;
    let droppedDatums = 0;
    for (const datums of batches) {
      if (this.#closed || this.#pendingRequests >= this.#options.maxPendingRequests) {
        droppedRequests++;
        droppedDatums += datums.length;
        continue;
      }
      sends.push(this.#track(this.#send(datums)));
    }
    return Promise.allSettled(sends).then((results) => {
      let failedRequests = droppedRequests;
      let failedDatums = droppedDatums;
      let cause: unknown;
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') return;
        failedRequests++;
        failedDatums += batches[index]?.length ?? 0;
        cause = result.reason;
      });
      if (failedRequests === 0) return;
      const reason = cause === undefined ? `${droppedRequests} dropped: ${this.#options.maxPendingRequests} requests already pending` : messageOf(cause);
      throw new CloudWatchSinkSendError(
        `PutMetricData failed for ${failedRequests} of ${batches.length} request(s) (${failedDatums} datums not stored); last: ${reason}`,
        failedRequests,
        failedDatums,
        { cause },
      );
    });
  }

  /** Waits for the requests in flight to finish (they are bounded by their retries), then destroys a client the sink created. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    if (this.#ownsClient) this.#client.destroy();
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#pendingRequests++;
    this.#inFlight.add(work);
    const done = () => {
      this.#pendingRequests--;
      this.#inFlight.delete(work);
    };
    work.then(done, done);
    return work;
  }

  async #send(datums: CloudWatchDatum[]): Promise<void> {
    const { namespace, maxAttempts, backoffBaseMs, maxBackoffMs } = this.#options;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: datums }));
        return;
      } catch (error) {
        if (attempt >= maxAttempts || classifyFailure(error) === 'terminal') throw error;
        await sleep(this.#clock, backoffDelayMs(attempt - 1, backoffBaseMs, maxBackoffMs, () => this.#clock.random()));
      }
    }
  }
}

function resolveOptions(options: CloudWatchSinkOptions): ResolvedOptions {
  const namespace = options.namespace as unknown;
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 255 || namespace.startsWith('AWS/') || /[^\x20-\x7e]/.test(namespace)) {
    throw new CloudWatchSinkOptionError('namespace', namespace, 'a string of 1 … 255 printable ASCII characters, not starting with "AWS/"');
  }
  for (const name of ['region', 'endpoint'] as const) {
    const value = options[name] as unknown;
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) throw new CloudWatchSinkOptionError(name, value, 'a non-empty string');
  }
  const storageResolution = options.storageResolution ?? 60;
  if (storageResolution !== 1 && storageResolution !== 60) throw new CloudWatchSinkOptionError('storageResolution', storageResolution, '1 or 60');
  return {
    namespace,
    maxDatums: integerIn(options, 'maxDatumsPerRequest', KPL_MAX_DATUMS_PER_REQUEST, 1, 1000),
    maxBytes: integerIn(options, 'maxRequestBytes', KPL_MAX_REQUEST_BYTES, 1024, 1_048_576),
    maxAttempts: integerIn(options, 'maxAttempts', 3, 1, 10),
    backoffBaseMs: integerIn(options, 'backoffBaseMs', 500, 1, 60_000),
    maxBackoffMs: integerIn(options, 'maxBackoffMs', 10_000, 1, 300_000),
    maxPendingRequests: integerIn(options, 'maxPendingRequests', 200, 1, 10_000),
    storageResolution,
  };
}

function integerIn(
  options: CloudWatchSinkOptions,
  name: 'maxDatumsPerRequest' | 'maxRequestBytes' | 'maxAttempts' | 'backoffBaseMs' | 'maxBackoffMs' | 'maxPendingRequests',
  fallback: number,
  min: number,
  max: number,
): number {
  const value = options[name] as unknown;
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CloudWatchSinkOptionError(name, value, `an integer in ${min} … ${max}`);
  }
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

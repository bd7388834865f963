/**
 * `CloudWatchSink`: the producer's metrics as CloudWatch `PutMetricData` statistic sets, the way
 * the KPL uploads them: every series of the hierarchy (shard, stream, global, within
 * `metricsGranularity`), the KPL's units, blank dimensions omitted, at most 20 datums per
 * request, in the producer's region with its credentials unless told otherwise. Throttling and
 * transient failures are retried with jittered backoff on an injected clock; every attempt has a
 * deadline (it is aborted past it), requests run in the background and are bounded in number,
 * and `shutdown` gives up on what is left and destroys the client, so the producer is never
 * blocked and the process is never kept alive.
 */
import {
  CloudWatchClient,
  PutMetricDataCommand,
  type CloudWatchClientConfig,
  type MetricDatum as CloudWatchDatum,
} from '@aws-sdk/client-cloudwatch';
import type { MetricsExport, MetricsSink, MetricsSinkContext } from '@tskpl/producer';
import { KPL_MAX_DATUMS_PER_REQUEST, KPL_MAX_REQUEST_BYTES, toBatches } from './batches.js';
import { systemSinkClock, type SinkClock } from './clock/clock.js';
import { CloudWatchSinkOptionError, CloudWatchSinkSendError } from './errors.js';
import { backoffDelayMs, classifyFailure } from './retry.js';

/** The part of a `CloudWatchClient` the sink uses. */
export type CloudWatchSendClient = Pick<CloudWatchClient, 'send' | 'destroy'>;

/** The KPL's default `MetricsNamespace`. */
export const KPL_DEFAULT_NAMESPACE = 'KinesisProducerLibrary';

/** Options of {@link CloudWatchSink}. */
export interface CloudWatchSinkOptions {
  /** CloudWatch namespace of the metrics (KPL: `MetricsNamespace`). @defaultValue 'KinesisProducerLibrary' */
  readonly namespace?: string;
  /** AWS region (when the sink creates the client). @defaultValue the producer's Kinesis region, else the SDK's region chain */
  readonly region?: string;
  /** Endpoint URL (when the sink creates the client), e.g. a VPC endpoint. */
  readonly endpoint?: string;
  /** Credentials or a credential provider (when the sink creates the client). @defaultValue the producer's Kinesis credentials, else the SDK's default chain */
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
  /** Deadline of one PutMetricData attempt in milliseconds, 100 … 600000; past it the attempt is aborted (and retried as a transient failure). @defaultValue 6000 (the KPL's RequestTimeout) */
  readonly requestTimeoutMs?: number;
  /** CloudWatch storage resolution in seconds: 60 (standard) or 1 (high resolution). @defaultValue 60 */
  readonly storageResolution?: 1 | 60;
  /** Timers and randomness for the backoff and the deadlines; tests inject a fake. @defaultValue real unref'ed timers */
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
  readonly requestTimeoutMs: number;
  readonly storageResolution: 1 | 60;
}

/** One request in flight: its settlement, and how to end it at once (abort the attempt, stop retrying). */
interface PendingRequest {
  readonly done: Promise<void>;
  cancel(): void;
}

/** A {@link MetricsSink} uploading to Amazon CloudWatch like the KPL does. */
export class CloudWatchSink implements MetricsSink {
  /** CloudWatch takes statistic sets only: the producer keeps no samples for this sink. */
  readonly samplesPerDatum = 0;
  readonly #given: CloudWatchSendClient | undefined;
  readonly #clientOptions: Pick<CloudWatchSinkOptions, 'region' | 'endpoint' | 'credentials'>;
  readonly #clock: SinkClock;
  readonly #options: ResolvedOptions;
  readonly #pending = new Set<PendingRequest>();
  #context: MetricsSinkContext | undefined;
  #created: CloudWatchClient | undefined;
  #closed = false;

  constructor(options: CloudWatchSinkOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new CloudWatchSinkOptionError('options', options, 'an object');
    this.#options = resolveOptions(options);
    this.#clock = options.clock ?? systemSinkClock;
    this.#clientOptions = { region: options.region, endpoint: options.endpoint, credentials: options.credentials };
    if (options.client !== undefined && (typeof options.client !== 'object' || options.client === null || typeof options.client.send !== 'function')) {
      throw new CloudWatchSinkOptionError('client', options.client, 'a CloudWatchClient');
    }
    this.#given = options.client;
  }

  /** Called by the producer: a client the sink creates then defaults to the producer's Kinesis region and credentials. */
  attach(context: MetricsSinkContext): void {
    this.#context = context;
  }

  /**
   * Sends one export window. The promise settles when every request has succeeded or given up
   * (each attempt within `requestTimeoutMs`); it rejects with a {@link CloudWatchSinkSendError}
   * counting what was not stored.
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
      if (this.#closed || this.#pending.size >= this.#options.maxPendingRequests) {
        droppedRequests++;
        droppedDatums += datums.length;
        continue;
      }
      sends.push(this.#send(datums));
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
      const reason = cause === undefined ? `${droppedRequests} dropped: ${this.#closed ? 'the sink is shut down' : `${this.#options.maxPendingRequests} requests already pending`}` : messageOf(cause);
      throw new CloudWatchSinkSendError(
        `PutMetricData failed for ${failedRequests} of ${batches.length} request(s) (${failedDatums} datums not stored); last: ${reason}`,
        failedRequests,
        failedDatums,
        { cause },
      );
    });
  }

  /**
   * Gives up on every request still in flight (aborts its attempt, stops its retries) and
   * destroys a client the sink created, closing its sockets; resolves at once. Later exports are
   * dropped. The producer calls it after its final export has settled or timed out.
   */
  shutdown(): Promise<void> {
    this.#closed = true;
    for (const request of [...this.#pending]) request.cancel();
    this.#created?.destroy();
    this.#created = undefined;
    return Promise.resolve();
  }

  #client(): CloudWatchSendClient {
    if (this.#given !== undefined) return this.#given;
    if (this.#created !== undefined) return this.#created;
    const { region, endpoint, credentials } = this.#clientOptions;
    const producerRegion = this.#context?.region;
    const producerCredentials = this.#context?.credentials;
    this.#created = new CloudWatchClient({
      ...(region !== undefined ? { region } : producerRegion !== undefined ? { region: producerRegion } : {}),
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(credentials !== undefined ? { credentials } : producerCredentials !== undefined ? { credentials: producerCredentials } : {}),
      // The sink owns retries (with backoff on its clock), as the producer does for Kinesis.
      maxAttempts: 1,
    });
    return this.#created;
  }

  /** One request with its retries; each attempt is raced against its deadline and aborted past it. */
  #send(datums: CloudWatchDatum[]): Promise<void> {
    const { namespace, maxAttempts, backoffBaseMs, maxBackoffMs, requestTimeoutMs } = this.#options;
    let cancelCurrent: (reason: Error) => void = () => {};
    let cancelled: Error | undefined;
    const attempt = (): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const controller = new AbortController();
        const end = (error?: unknown) => {
          timer.cancel();
          cancelCurrent = () => {};
          if (error === undefined) resolve();
          else reject(error);
        };
        const timer = this.#clock.setTimer(requestTimeoutMs, () => {
          const error = timeoutError(requestTimeoutMs);
          controller.abort(error);
          end(error);
        });
        cancelCurrent = (reason) => {
          controller.abort(reason);
          end(reason);
        };
        this.#client()
          .send(new PutMetricDataCommand({ Namespace: namespace, MetricData: datums }), { abortSignal: controller.signal })
          .then(() => end(), end);
      });
    const pause = (delayMs: number): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const timer = this.#clock.setTimer(delayMs, () => {
          cancelCurrent = () => {};
          resolve();
        });
        cancelCurrent = (reason) => {
          timer.cancel();
          reject(reason);
        };
      });
    const run = async (): Promise<void> => {
      for (let number = 1; ; number++) {
        try {
          await attempt();
          return;
        } catch (error) {
          if (cancelled !== undefined) throw cancelled;
          if (number >= maxAttempts || classifyFailure(error) === 'terminal') throw error;
          await pause(backoffDelayMs(number - 1, backoffBaseMs, maxBackoffMs, () => this.#clock.random()));
        }
      }
    };
    const done = run();
    const request: PendingRequest = {
      done: done.then(noop, noop),
      cancel: () => {
        cancelled = new Error('PutMetricData abandoned: the sink was shut down');
        cancelCurrent(cancelled);
      },
    };
    this.#pending.add(request);
    void request.done.then(() => this.#pending.delete(request));
    return done;
  }
}

/** What a timed-out attempt rejects with; named like the SDK's, so it is retried as a transient failure. */
function timeoutError(requestTimeoutMs: number): Error {
  const error = new Error(`PutMetricData did not answer within requestTimeoutMs (${requestTimeoutMs} ms)`);
  error.name = 'TimeoutError';
  return error;
}

function noop(): void {}

function resolveOptions(options: CloudWatchSinkOptions): ResolvedOptions {
  const namespace = (options.namespace ?? KPL_DEFAULT_NAMESPACE) as unknown;
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
    requestTimeoutMs: integerIn(options, 'requestTimeoutMs', 6_000, 100, 600_000),
    storageResolution,
  };
}

function integerIn(
  options: CloudWatchSinkOptions,
  name: 'maxDatumsPerRequest' | 'maxRequestBytes' | 'maxAttempts' | 'backoffBaseMs' | 'maxBackoffMs' | 'maxPendingRequests' | 'requestTimeoutMs',
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

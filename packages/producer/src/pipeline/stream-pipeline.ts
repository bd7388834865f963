/**
 * One stream's stages, wired together: shard map → aggregator → limiter → collector. Created on a
 * stream's first record; the sender, retrier and backpressure are shared by all streams.
 */
import type { Clock, Timer } from '../clock/clock.js';
import type { Aggregator } from '../aggregator/aggregator.js';
import { createAggregator } from '../aggregator/aggregator.js';
import type { Collector, PutRecordsBatch } from '../collector/collector.js';
import { createCollector } from '../collector/collector.js';
import type { ProducerConfig } from '../config/config.js';
import type { Limiter } from '../limiter/limiter.js';
import { createLimiter } from '../limiter/limiter.js';
import type { ShardMap } from '../shard-map/shard-map.js';
import { createShardMap } from '../shard-map/shard-map.js';
import type { KinesisTransport, StreamRef } from '../transport/transport.js';
import { ShardMapError } from '../errors/errors.js';
import { classifyFailure, failureOf } from '../retrier/classify.js';
import type { KinesisRecordState, UserRecordState } from './types.js';

/** Kinesis's default maximum record size (data + partition key). */
export const DEFAULT_MAX_RECORD_BYTES = 1_048_576;

/** What a stream pipeline needs from the producer. */
export interface StreamPipelineDeps {
  readonly stream: string;
  readonly streamName: string;
  readonly ref: StreamRef;
  readonly config: ProducerConfig;
  readonly clock: Clock;
  readonly transport: KinesisTransport;
  /** Batches ready to send. */
  send(batch: PutRecordsBatch): void;
  /** A Kinesis record expired while waiting in `where`. */
  expired(record: KinesisRecordState, where: string): void;
  /** Settles a user record as failed with `errorCode` (e.g. `Expired`, or the shard map's terminal error), no request involved. */
  fail(record: UserRecordState, errorCode: string, errorMessage: string): void;
  /** True for a record a pending `flush()` waits for (put before it): it is then sent without its buffering delay. */
  urgent(record: UserRecordState): boolean;
  /** Counts an incident for the periodic warning. */
  noteIncident(what: string, count?: number): void;
  /** DescribeStreamSummary named the stream's ARN. */
  described?(pipeline: StreamPipeline, streamARN: string): void;
}

/** One stream's stages. */
export interface StreamPipeline {
  readonly stream: string;
  /** The stream's name (without the ARN), for results and metrics. */
  readonly streamName: string;
  /** Records of this stream put but not settled (maintained by the producer). */
  outstanding: number;
  /** Clock time of the last record admitted (maintained by the producer), for idle release. */
  lastUsedAt: number;
  readonly ref: StreamRef;
  /** The stream's ARN, once DescribeStreamSummary answered (or as given). */
  readonly streamARN: string | undefined;
  /** The shard map, when records are predicted (aggregation on and the stream honours keys). */
  readonly shardMap: ShardMap | undefined;
  readonly limiter: Limiter;
  /** The stream's maximum record size in bytes, once DescribeStreamSummary answered (else the default). */
  readonly maxRecordBytes: number;
  /** Resolves once DescribeStreamSummary answered or gave up. */
  readonly described: Promise<void>;
  /** Routes a new or retried record. */
  accept(record: UserRecordState): void;
  /** Sends everything buffered except what the rate limits hold back. */
  flush(): void;
  /** Resolves once records can be predicted (the shard map is READY, or prediction is off); rejects with a ShardMapError on a terminal failure. */
  ready(): Promise<void>;
  /** User records held in the stages (not in flight). */
  readonly buffered: number;
  close(): void;
}

/** Consecutive transient ListShards failures after which waiting records go out unaggregated (1 s + 1.5 s + 2.25 s of backoff: about 5 s). */
export const UNAGGREGATED_AFTER_FAILURES = 3;
/** After a terminal ListShards failure, records fail at once with its code for this long before the map is asked again, ms. */
export const TERMINAL_RECHECK_MS = 1_000;

const DESCRIBE_ATTEMPTS = 5;
const DESCRIBE_RETRY_MS = 2_000;

/** Creates a stream pipeline and starts its shard map and DescribeStreamSummary. */
export function createStreamPipeline(deps: StreamPipelineDeps): StreamPipeline {
  const { config, clock } = deps;
  let maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
  let streamARN = deps.ref.streamARN;
  // Records are predicted whether or not they are aggregated: the limiter paces each shard by its prediction.
  let predicting = true;
  let closed = false;

  const collector: Collector = createCollector({
    stream: deps.stream,
    clock,
    maxCount: config.collectionMaxCount,
    maxSize: config.collectionMaxSize,
    deadlineExtensionMs: config.aggregationEnabled ? Math.min(50, 0.2 * config.recordMaxBufferedTimeMs) : 0,
    send: deps.send,
  });
  const limiter: Limiter = createLimiter({
    clock,
    rateLimit: config.rateLimit,
    release: (record) => {
      collector.put(record);
      if (urgentTimer === undefined && deps.urgent(record.records[0]!)) scheduleUrgentFlush();
    },
    expire: (record) => deps.expired(record, 'the limiter'),
  });
  let aggregatorMaxSize = config.aggregationMaxSize;
  let aggregator: Aggregator = makeAggregator();
  function makeAggregator(): Aggregator {
    return createAggregator({
      stream: deps.stream,
      clock,
      maxSize: aggregatorMaxSize,
      maxCount: config.aggregationMaxCount,
      singles: !config.aggregationEnabled,
      emit: (record) => limiter.put(record),
      isUrgent: deps.urgent,
    });
  }

  const shardMap: ShardMap | undefined = createShardMap({
      stream: deps.ref,
      transport: deps.transport,
      clock,
      logger: config.logger,
      isTerminal: (error) => {
        const failure = failureOf(error);
        return classifyFailure(failure.code, failure.httpStatus) === 'terminal';
      },
      onError: () => onMapFailure(),
    });

  // Records wait here while the shard map is not READY: at start, and while a refresh after a
  // reshard is in flight. They leave when the map arrives (and are aggregated), when it fails for
  // a terminal reason (they fail with its code), when ListShards has failed transiently
  // UNAGGREGATED_AFTER_FAILURES times in a row (they go out unaggregated, logged once), or when
  // they expire. Their buffering deadline does not end the wait: a cold producer fed by a tight
  // loop must aggregate from its first record (docs/architecture.md, "Cold start").
  let waiting: UserRecordState[] = [];
  let expiryTimer: Timer | undefined;
  let expiryTimerAt = Infinity;
  let readyWaiters: Array<{ resolve(): void; reject(error: unknown): void }> = [];
  let unaggregatedWarned = false;
  const unsubscribe = shardMap?.onReady(() => {
    unaggregatedWarned = false;
    releaseWaiting();
    settleReadyWaiters(undefined);
  });

  /** Routes every waiting record again (the map is READY, or prediction was switched off). */
  function releaseWaiting(): void {
    cancelExpiryTimer();
    if (waiting.length === 0) return;
    const held = waiting;
    waiting = [];
    let urgent = false;
    for (const record of held) {
      route(record);
      if (!urgent && deps.urgent(record)) urgent = true;
    }
    if (urgent) scheduleUrgentFlush();
  }

  function cancelExpiryTimer(): void {
    expiryTimer?.cancel();
    expiryTimer = undefined;
    expiryTimerAt = Infinity;
  }

  function wait(record: UserRecordState): void {
    waiting.push(record);
    if (record.expiresAt < expiryTimerAt) armExpiryTimer(record.expiresAt);
  }

  function armExpiryTimer(at: number): void {
    expiryTimer?.cancel();
    expiryTimerAt = at;
    // Expired means `now > expiresAt`, hence the + 1.
    expiryTimer = clock.setTimer(at + 1 - clock.now(), expireWaiting);
  }

  function expireWaiting(): void {
    expiryTimer = undefined;
    expiryTimerAt = Infinity;
    const now = clock.now();
    const held = waiting;
    waiting = [];
    let earliest = Infinity;
    for (const record of held) {
      if (now > record.expiresAt) {
        deps.fail(record, 'Expired', 'Record has reached expiration while waiting for the shard map');
      } else {
        waiting.push(record);
        if (record.expiresAt < earliest) earliest = record.expiresAt;
      }
    }
    if (earliest < Infinity) armExpiryTimer(earliest);
  }

  /** The map failed an update: fail the waiting records on a terminal error, or stop waiting after repeated transient ones. */
  function onMapFailure(): void {
    const failure = shardMap?.lastFailure;
    if (failure === undefined || shardMap === undefined) return;
    if (failure.terminal) {
      cancelExpiryTimer();
      const held = waiting;
      waiting = [];
      const message = mapFailureMessage(failure.errorCode, failure.errorMessage);
      for (const record of held) deps.fail(record, failure.errorCode, message);
      settleReadyWaiters(new ShardMapError(deps.stream, failure.errorCode, message));
    } else if (shardMap.failures >= UNAGGREGATED_AFTER_FAILURES) {
      if (!unaggregatedWarned) {
        unaggregatedWarned = true;
        config.logger.warn(
          `ListShards for ${deps.stream} failed ${shardMap.failures} times in a row (last: ${failure.errorCode}); records are sent unaggregated until the shard map is ready.`,
          { stream: deps.stream, errorCode: failure.errorCode },
        );
      }
      cancelExpiryTimer();
      const held = waiting;
      waiting = [];
      for (const record of held) route(record);
    }
  }

  function mapFailureMessage(errorCode: string, errorMessage: string): string {
    return `The shard map of ${deps.stream} could not be fetched: ListShards failed with ${errorCode}${errorMessage ? `: ${errorMessage}` : ''}`;
  }

  function settleReadyWaiters(error: ShardMapError | undefined): void {
    if (readyWaiters.length === 0) return;
    const held = readyWaiters;
    readyWaiters = [];
    for (const waiter of held) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }

  /**
   * Predicts and hands to the aggregator, or waits for the map. An unexpected exception on the
   * way (e.g. the codec refusing a record validation let through) fails this record with
   * `InternalError` instead of escaping into a timer or a listener and stranding it.
   */
  function route(record: UserRecordState): void {
    try {
      routeOrWait(record);
    } catch (error) {
      deps.noteIncident(`records failed with an internal error (${error instanceof Error ? error.message : String(error)})`);
      deps.fail(record, 'InternalError', `The producer failed to route this record: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function routeOrWait(record: UserRecordState): void {
    if (!predicting || shardMap === undefined) {
      record.predictedShard = -1;
      aggregator.add(record);
      return;
    }
    const shard = shardMap.predict(record.routingKey);
    if (shard >= 0) {
      record.predictedShard = shard;
      aggregator.add(record);
      return;
    }
    if (shardMap.state !== 'READY') {
      const failure = shardMap.lastFailure;
      if (failure?.terminal === true && shardMap.state === 'INVALID') {
        if (clock.now() - failure.at < TERMINAL_RECHECK_MS) {
          deps.fail(record, failure.errorCode, mapFailureMessage(failure.errorCode, failure.errorMessage));
          return;
        }
        shardMap.refresh();
      } else if (failure !== undefined && shardMap.failures >= UNAGGREGATED_AFTER_FAILURES) {
        deps.noteIncident(`records sent unaggregated because ListShards keeps failing (${failure.errorCode})`);
        record.predictedShard = -1;
        aggregator.add(record);
        return;
      }
      wait(record);
      return;
    }
    // A READY map that covers no shard for this key (a gap in the listed ranges): send it alone.
    deps.noteIncident('records sent unaggregated because no listed shard covers their hash key');
    record.predictedShard = -1;
    aggregator.add(record);
  }

  let urgentTimer: Timer | undefined;
  function scheduleUrgentFlush(): void {
    if (urgentTimer !== undefined) return;
    urgentTimer = clock.setTimer(0, () => {
      urgentTimer = undefined;
      if (closed) return;
      aggregator.flushUrgent();
      limiter.drain();
      collector.flush();
    });
  }

  function flush(): void {
    aggregator.flush();
    limiter.drain();
    collector.flush();
  }

  let describeAttempts = 0;
  let resolveDescribed!: () => void;
  const described = new Promise<void>((resolve) => {
    resolveDescribed = resolve;
  });
  function describe(): void {
    describeAttempts++;
    deps.transport.describeStreamSummary(deps.ref).then(
      (summary) => {
        if (summary.streamARN !== undefined && streamARN === undefined) {
          streamARN = summary.streamARN;
          deps.described?.(pipeline, streamARN);
        }
        if (typeof summary.maxRecordSizeInKiB === 'number' && summary.maxRecordSizeInKiB > 0) {
          maxRecordBytes = summary.maxRecordSizeInKiB * 1024;
          const cap = Math.min(config.aggregationMaxSize, maxRecordBytes - 1);
          if (cap !== aggregatorMaxSize) {
            aggregator.flush();
            aggregatorMaxSize = cap;
            aggregator = makeAggregator();
          }
        }
        if (summary.recordDistributionStrategy === 'AUTO' && predicting) {
          predicting = false;
          config.logger.warn(`Stream ${deps.stream} places records without regard to partition keys (RecordDistributionStrategy AUTO): records are sent unaggregated and unpredicted.`, { stream: deps.stream });
          releaseWaiting();
          settleReadyWaiters(undefined);
        }
        resolveDescribed();
      },
      (error: unknown) => {
        if (describeAttempts < DESCRIBE_ATTEMPTS && !closed) {
          clock.setTimer(DESCRIBE_RETRY_MS * describeAttempts, () => {
            if (!closed) describe();
          });
        } else {
          config.logger.warn(`DescribeStreamSummary failed for ${deps.stream}; assuming the default maximum record size of 1 MiB.`, {
            stream: deps.stream,
            errorCode: (error as { name?: string } | undefined)?.name,
          });
        }
        resolveDescribed();
      },
    );
  }
  const pipeline: StreamPipeline = {
    stream: deps.stream,
    streamName: deps.streamName,
    outstanding: 0,
    lastUsedAt: clock.now(),
    ref: deps.ref,
    get streamARN() {
      return streamARN;
    },
    shardMap,
    limiter,
    get maxRecordBytes() {
      return maxRecordBytes;
    },
    described,
    accept(record) {
      route(record);
      if (urgentTimer === undefined && deps.urgent(record)) scheduleUrgentFlush();
    },
    flush,
    get buffered() {
      let held = waiting.length + aggregator.buffered;
      held += limiter.queued;
      held += collector.buffered;
      return held;
    },
    ready() {
      if (!predicting || shardMap === undefined || shardMap.state === 'READY') return Promise.resolve();
      const failure = shardMap.lastFailure;
      if (failure?.terminal === true && shardMap.state === 'INVALID') shardMap.refresh();
      return new Promise<void>((resolve, reject) => {
        readyWaiters.push({ resolve, reject });
      });
    },
    close() {
      closed = true;
      unsubscribe?.();
      cancelExpiryTimer();
      settleReadyWaiters(new ShardMapError(deps.stream, 'ProducerClosed', 'The producer was closed before the shard map was ready'));
      urgentTimer?.cancel();
      shardMap?.close();
      limiter.close();
    },
  };
  describe();
  return pipeline;
}

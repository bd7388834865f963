/**
 * One stream's stages, wired together: shard map → aggregator → limiter → collector, plus the
 * stream's description. Created on a stream's first record; it is the {@link StreamContext} that
 * every record and batch of the stream carries. The sender, retrier and settlement are shared by
 * all streams.
 */
import type { Clock, Timer } from '../clock/clock.js';
import { DeadlineTimer } from '../clock/deadline-timer.js';
import type { Aggregator } from '../aggregator/aggregator.js';
import { createAggregator } from '../aggregator/aggregator.js';
import type { Collector } from '../collector/collector.js';
import { createCollector } from '../collector/collector.js';
import type { ProducerConfig } from '../config/config.js';
import type { IncidentLog } from '../config/incident-log.js';
import { classifyFailure, failureOf } from '../errors/classify.js';
import { ShardMapError } from '../errors/errors.js';
import type { Limiter } from '../limiter/limiter.js';
import { createLimiter } from '../limiter/limiter.js';
import { RecordErrorCodes } from '../record/error-codes.js';
import type { Settlement } from '../record/settlement.js';
import { routingKeyOf, type StreamContext, type UserRecordState } from '../record/user-record.js';
import type { Retrier } from '../retrier/retrier.js';
import type { Sequencer } from '../sequencer/sequencer.js';
import { createSequencer } from '../sequencer/sequencer.js';
import type { Sender } from '../sender/sender.js';
import type { ShardMap } from '../shard-map/shard-map.js';
import { createShardMap } from '../shard-map/shard-map.js';
import { describeStream, DEFAULT_MAX_RECORD_BYTES } from '../shard-map/stream-description.js';
import type { KinesisTransport, StreamRef } from '../transport/transport.js';

export { DEFAULT_MAX_RECORD_BYTES } from '../shard-map/stream-description.js';

/** What a stream pipeline needs from the producer. */
export interface StreamPipelineDeps {
  readonly stream: string;
  readonly streamName: string;
  readonly ref: StreamRef;
  readonly config: ProducerConfig;
  readonly clock: Clock;
  readonly transport: KinesisTransport;
  /** Sends the collector's batches. */
  readonly sender: Sender;
  /** Retries or expires Kinesis records that expired before they were sent. */
  readonly retrier: Retrier;
  /** Fails records (expiry, terminal shard-map errors) and says which records a pending flush waits for. */
  readonly settlement: Settlement;
  /** Counts incidents for the periodic warning. */
  readonly incidents: IncidentLog;
  /** DescribeStreamSummary named the stream's ARN. */
  described?(pipeline: StreamPipeline, streamARN: string): void;
}

/** One stream's stages. */
export interface StreamPipeline extends StreamContext {
  /** The stream's ARN, once DescribeStreamSummary answered (or as given). */
  readonly streamARN: string | undefined;
  /** The shard map, when records are predicted (the stream honours keys). */
  readonly shardMap: ShardMap | undefined;
  /** The stream's maximum record size in bytes, once DescribeStreamSummary answered (else the default). */
  readonly maxRecordBytes: number;
  /** Resolves once DescribeStreamSummary answered or gave up. */
  readonly described: Promise<void>;
  /** Sends everything buffered except what the rate limits hold back. */
  flush(): void;
  /** Resolves once records can be predicted (the shard map is READY, or prediction is off); rejects with a ShardMapError on a terminal failure. */
  ready(): Promise<void>;
  close(): void;
}

/** Consecutive transient ListShards failures after which waiting records go out unaggregated (1 s + 1.5 s + 2.25 s of backoff: about 5 s). */
export const UNAGGREGATED_AFTER_FAILURES = 3;
/** After a terminal ListShards failure, records fail at once with its code for this long before the map is asked again, ms. */
export const TERMINAL_RECHECK_MS = 1_000;

/** Creates a stream pipeline and starts its shard map and DescribeStreamSummary. */
export function createStreamPipeline(deps: StreamPipelineDeps): StreamPipeline {
  const { config, clock, settlement, incidents } = deps;
  let maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
  let streamARN = deps.ref.streamARN;
  // The stream's context, which every record and batch of it carries; its methods are below.
  const pipeline: StreamPipeline = {
    stream: deps.stream,
    streamName: deps.streamName,
    outstanding: 0,
    lastUsedAt: clock.now(),
    ref: deps.ref,
    get streamARN() {
      return streamARN;
    },
    get shardMap() {
      return shardMap;
    },
    throttled(shardNumber, seenAt, bytes) {
      limiter.onThrottled(shardNumber, seenAt, bytes);
    },
    get maxRecordBytes() {
      return maxRecordBytes;
    },
    get described() {
      return described;
    },
    accept(record) {
      route(record);
      if (urgentTimer === undefined && settlement.isUrgent(record)) scheduleUrgentFlush();
    },
    flush,
    ready,
    close,
  };
  // Records are predicted whether or not they are aggregated: the limiter paces each shard by its prediction.
  let predicting = true;
  let closed = false;

  const collector: Collector = createCollector({
    owner: pipeline,
    clock,
    maxCount: config.collectionMaxCount,
    maxSize: config.collectionMaxSize,
    // Ordered: a shard's next Kinesis record waits for this one's answer, so it is not held any longer.
    deadlineExtensionMs: config.aggregationEnabled && config.ordering === 'none' ? Math.min(50, 0.2 * config.recordMaxBufferedTimeMs) : 0,
    send: (batch) => deps.sender.send(batch),
  });
  const limiter: Limiter = createLimiter({
    clock,
    rateLimit: config.rateLimit,
    release: (record) => {
      collector.put(record);
      if (urgentTimer === undefined && settlement.isUrgent(record.records[0]!)) scheduleUrgentFlush();
    },
    expire: (record) => deps.retrier.onExpiredBeforeSend(record, 'the limiter'),
  });
  let aggregatorMaxSize = config.aggregationMaxSize;
  let aggregator: Aggregator = makeAggregator();
  function makeAggregator(): Aggregator {
    return createAggregator({
      owner: pipeline,
      clock,
      maxSize: aggregatorMaxSize,
      maxCount: config.aggregationMaxCount,
      singles: !config.aggregationEnabled,
      emit: (record) => limiter.put(record),
      isUrgent: (record) => settlement.isUrgent(record),
    });
  }

  // Ordered delivery (docs/architecture.md, "Ordered delivery"): the sequencer takes the aggregator's place.
  const sequencer: Sequencer | undefined = config.ordering === 'shard'
    ? createSequencer({
        owner: pipeline,
        clock,
        maxSize: () => aggregatorMaxSize,
        maxCount: config.aggregationEnabled ? config.aggregationMaxCount : 1,
        emit: (record) => limiter.put(record),
        expire: (record) => settlement.failNow(record, RecordErrorCodes.Expired, 'Record has reached expiration while waiting for earlier records of its shard'),
        isUrgent: (record) => settlement.isUrgent(record),
        reroute,
      })
    : undefined;

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
  // Expired means `now > expiresAt`: the timer is armed for the earliest expiresAt + 1.
  const expiryTimer = new DeadlineTimer(clock, expireWaiting);
  let readyWaiters: Array<{ resolve(): void; reject(error: unknown): void }> = [];
  let unaggregatedWarned = false;
  const unsubscribe = shardMap?.onReady(() => {
    unaggregatedWarned = false;
    releaseWaiting();
    settleReadyWaiters(undefined);
  });

  /** Routes every waiting record again (the map is READY, or prediction was switched off). */
  function releaseWaiting(): void {
    expiryTimer.cancel();
    if (waiting.length === 0) return;
    const held = waiting;
    waiting = [];
    let urgent = false;
    for (const record of held) {
      route(record);
      if (!urgent && settlement.isUrgent(record)) urgent = true;
    }
    if (urgent) scheduleUrgentFlush();
  }

  function wait(record: UserRecordState): void {
    waiting.push(record);
    expiryTimer.armBy(record.expiresAt + 1);
  }

  function expireWaiting(): void {
    const now = clock.now();
    const held = waiting;
    waiting = [];
    let earliest = Infinity;
    for (const record of held) {
      if (now > record.expiresAt) {
        settlement.failNow(record, RecordErrorCodes.Expired, 'Record has reached expiration while waiting for the shard map');
      } else {
        waiting.push(record);
        if (record.expiresAt < earliest) earliest = record.expiresAt;
      }
    }
    if (earliest < Infinity) expiryTimer.armBy(earliest + 1);
  }

  /** The map failed an update: fail the waiting records on a terminal error, or stop waiting after repeated transient ones. */
  function onMapFailure(): void {
    const failure = shardMap?.lastFailure;
    if (failure === undefined || shardMap === undefined) return;
    if (failure.terminal) {
      expiryTimer.cancel();
      const held = waiting;
      waiting = [];
      const message = mapFailureMessage(failure.errorCode, failure.errorMessage);
      for (const record of held) settlement.failNow(record, failure.errorCode, message);
      settleReadyWaiters(new ShardMapError(deps.stream, failure.errorCode, message));
    } else if (shardMap.failures >= UNAGGREGATED_AFTER_FAILURES) {
      if (!unaggregatedWarned) {
        unaggregatedWarned = true;
        config.logger.warn(
          `ListShards for ${deps.stream} failed ${shardMap.failures} times in a row (last: ${failure.errorCode}); records are sent unaggregated until the shard map is ready.`,
          { stream: deps.stream, errorCode: failure.errorCode },
        );
      }
      expiryTimer.cancel();
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
      incidents.count(`records failed with an internal error (${error instanceof Error ? error.message : String(error)})`);
      settlement.failNow(record, 'InternalError', `The producer failed to route this record: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function routeOrWait(record: UserRecordState): void {
    if (!predicting || shardMap === undefined) {
      record.predictedShard = -1;
      place(record);
      return;
    }
    const shard = shardMap.predict(routingKeyOf(record));
    if (shard >= 0) {
      record.predictedShard = shard;
      record.mapGeneration = shardMap.generation;
      if (sequencer === undefined) aggregator.add(record);
      else sequencer.add(record);
      return;
    }
    if (shardMap.state !== 'READY') {
      const failure = shardMap.lastFailure;
      if (failure?.terminal === true && shardMap.state === 'INVALID') {
        if (clock.now() - failure.at < TERMINAL_RECHECK_MS) {
          settlement.failNow(record, failure.errorCode, mapFailureMessage(failure.errorCode, failure.errorMessage));
          return;
        }
        shardMap.refresh();
      } else if (failure !== undefined && shardMap.failures >= UNAGGREGATED_AFTER_FAILURES) {
        incidents.count(`records sent unaggregated because ListShards keeps failing (${failure.errorCode})`);
        record.predictedShard = -1;
        place(record);
        return;
      }
      wait(record);
      return;
    }
    // A READY map that covers no shard for this key (a gap in the listed ranges): send it alone.
    incidents.count('records sent unaggregated because no listed shard covers their hash key');
    record.predictedShard = -1;
    place(record);
  }

  function place(record: UserRecordState): void {
    if (sequencer === undefined) aggregator.add(record);
    else sequencer.add(record);
  }

  /** Ordered delivery, after a drain: these records were admitted before any that waits for the map, so they are routed first. */
  function reroute(records: UserRecordState[]): void {
    const later = waiting;
    waiting = [];
    expiryTimer.cancel();
    for (const record of records) route(record);
    for (const record of later) wait(record);
  }

  let urgentTimer: Timer | undefined;
  function scheduleUrgentFlush(): void {
    if (urgentTimer !== undefined) return;
    urgentTimer = clock.setTimer(0, () => {
      urgentTimer = undefined;
      if (closed) return;
      aggregator.flushUrgent();
      sequencer?.flushUrgent();
      limiter.drain();
      collector.flush();
    });
  }

  function flush(): void {
    aggregator.flush();
    sequencer?.flush();
    limiter.drain();
    collector.flush();
  }

  const description = describeStream({ ref: deps.ref, label: deps.stream, transport: deps.transport, clock, logger: config.logger });
  const described: Promise<void> = description.summary.then((summary) => {
    if (summary === undefined || closed) return;
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
  });

  function ready(): Promise<void> {
    if (!predicting || shardMap === undefined || shardMap.state === 'READY') return Promise.resolve();
    const failure = shardMap.lastFailure;
    if (failure?.terminal === true && shardMap.state === 'INVALID') shardMap.refresh();
    return new Promise<void>((resolve, reject) => {
      readyWaiters.push({ resolve, reject });
    });
  }

  function close(): void {
    closed = true;
    unsubscribe?.();
    expiryTimer.cancel();
    settleReadyWaiters(new ShardMapError(deps.stream, 'ProducerClosed', 'The producer was closed before the shard map was ready'));
    urgentTimer?.cancel();
    description.close();
    shardMap?.close();
    sequencer?.close();
    limiter.close();
  }

  return pipeline;
}

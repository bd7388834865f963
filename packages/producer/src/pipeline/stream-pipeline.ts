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
  /** True while a flush is waiting: records are then sent without their buffering delay. */
  urgent(): boolean;
  /** Counts an incident for the periodic warning. */
  noteIncident(what: string, count?: number): void;
}

/** One stream's stages. */
export interface StreamPipeline {
  readonly stream: string;
  /** The stream's name (without the ARN), for results and metrics. */
  readonly streamName: string;
  /** Records of this stream put but not settled (maintained by the producer). */
  outstanding: number;
  readonly ref: StreamRef;
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
  /** User records held in the stages (not in flight). */
  readonly buffered: number;
  close(): void;
}

const DESCRIBE_ATTEMPTS = 5;
const DESCRIBE_RETRY_MS = 2_000;

/** Creates a stream pipeline and starts its shard map and DescribeStreamSummary. */
export function createStreamPipeline(deps: StreamPipelineDeps): StreamPipeline {
  const { config, clock } = deps;
  let maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
  let predicting = config.aggregationEnabled;
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
      if (deps.urgent()) scheduleUrgentFlush();
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
      emit: (record) => limiter.put(record),
    });
  }

  const shardMap: ShardMap | undefined = config.aggregationEnabled
    ? createShardMap({ stream: deps.ref, transport: deps.transport, clock, logger: config.logger })
    : undefined;

  // Records that arrived while the shard map was not READY wait for it until their deadline.
  let waiting: UserRecordState[] = [];
  let waitTimer: Timer | undefined;
  let waitTimerAt = Infinity;
  const unsubscribe = shardMap?.onReady(() => releaseWaiting(false));

  function releaseWaiting(pastDeadlineOnly: boolean): void {
    waitTimer?.cancel();
    waitTimer = undefined;
    waitTimerAt = Infinity;
    if (waiting.length === 0) return;
    const now = clock.now();
    const held = waiting;
    waiting = [];
    for (const record of held) {
      if (!pastDeadlineOnly || record.deadline <= now) route(record, true);
      else waiting.push(record);
    }
    armWaitTimer();
  }

  function armWaitTimer(): void {
    if (waiting.length === 0) return;
    let earliest = Infinity;
    for (const record of waiting) if (record.deadline < earliest) earliest = record.deadline;
    if (earliest >= waitTimerAt) return;
    waitTimer?.cancel();
    waitTimerAt = earliest;
    waitTimer = clock.setTimer(earliest - clock.now(), () => {
      waitTimer = undefined;
      waitTimerAt = Infinity;
      releaseWaiting(true);
    });
  }

  /** Predicts and hands to the aggregator; `force` sends unpredicted when the map is not READY. */
  function route(record: UserRecordState, force: boolean): void {
    if (!predicting || shardMap === undefined) {
      record.predictedShard = -1;
      aggregator.add(record);
      return;
    }
    const shard = shardMap.predict(record.routingKey);
    if (shard < 0 && !force) {
      waiting.push(record);
      if (record.deadline < waitTimerAt) armWaitTimer();
      return;
    }
    if (shard < 0) deps.noteIncident('records sent unaggregated because the shard map was not ready by their deadline');
    record.predictedShard = shard;
    aggregator.add(record);
  }

  let urgentTimer: Timer | undefined;
  function scheduleUrgentFlush(): void {
    if (urgentTimer !== undefined) return;
    urgentTimer = clock.setTimer(0, () => {
      urgentTimer = undefined;
      if (!closed) flush();
    });
  }

  function flush(): void {
    if (waiting.length > 0 && deps.urgent()) releaseWaiting(false);
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
          releaseWaiting(false);
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
  describe();

  return {
    stream: deps.stream,
    streamName: deps.streamName,
    outstanding: 0,
    ref: deps.ref,
    shardMap,
    limiter,
    get maxRecordBytes() {
      return maxRecordBytes;
    },
    described,
    accept(record) {
      route(record, false);
      if (deps.urgent()) scheduleUrgentFlush();
    },
    flush,
    get buffered() {
      let held = waiting.length + aggregator.buffered;
      held += limiter.queued;
      held += collector.buffered;
      return held;
    },
    close() {
      closed = true;
      unsubscribe?.();
      waitTimer?.cancel();
      urgentTimer?.cancel();
      shardMap?.close();
      limiter.close();
    },
  };
}

/**
 * Where samples land: nested maps stream → shard → one accumulator per metric, created on first
 * use and reused. The recorder methods look series up by the strings they are given (no key
 * building, no allocation once a series exists); roll-ups happen only when reading.
 */
import { RecordErrorCodes } from '../record/error-codes.js';
import type { FinishedRecord } from './recorder.js';
import { Accumulator } from './accumulator.js';
import { METRICS, METRIC_COUNT, MetricId } from './catalogue.js';
import type { MetricsRecorder } from './recorder.js';

/** The error code recorded when a failed entry carries none. */
export const UNKNOWN_ERROR_CODE = 'Unknown';

/** Accumulators of one stream: samples with no shard, per-shard series and ErrorsByCode series. */
export interface StreamSeries {
  readonly streamName: string;
  /** Samples recorded at stream level (stream-level metrics, and shard metrics whose shard is unknown). */
  readonly direct: readonly Accumulator[];
  /** shardId → accumulators of the shard's series. */
  readonly shards: Map<string, readonly Accumulator[]>;
  /** ErrorCode → ErrorsByCode at stream level (failed requests, and failed entries whose shard is unknown). */
  readonly errorsDirect: Map<string, Accumulator>;
  /** ErrorCode → shardId → ErrorsByCode of the shard. */
  readonly errorsByShard: Map<string, Map<string, Accumulator>>;
}

/** All series of one producer, and the recorder that feeds them. */
export class MetricsStore implements MetricsRecorder {
  /** streamName → its series, in first-use order. */
  readonly streams = new Map<string, StreamSeries>();
  private lastStream: StreamSeries | undefined;
  /**
   * The clock second samples are filed under. Reading the clock costs more than recording a
   * sample, so the owner advances it ({@link MetricsStore.setTime}) every 200 ms and before reads.
   */
  private currentSecond: number;

  /**
   * @param nowMs the clock's time now, in milliseconds.
   * @param samplesPerDatum the reservoir size of the distributions (0: the sink reads no samples, none are kept).
   * @param random a number in [0, 1), for the reservoirs (the producer's clock's).
   */
  constructor(
    nowMs: number,
    readonly samplesPerDatum: number,
    readonly random: () => number,
  ) {
    this.currentSecond = Math.floor(nowMs / 1000);
  }

  /** Files later samples under the second of `nowMs` (clock milliseconds). */
  setTime(nowMs: number): void {
    this.currentSecond = Math.floor(nowMs / 1000);
  }

  userRecordReceived(streamName: string): void {
    this.stream(streamName).direct[MetricId.UserRecordsReceived]!.put(1, this.second());
  }

  userRecordFinished(streamName: string, shardId: string | undefined, record: FinishedRecord, dataBytes: number): void {
    const series = this.series(streamName, shardId);
    const second = this.second();
    const attempts = record.attempts;
    const bufferingTime = series[MetricId.BufferingTime]!;
    if (attempts !== undefined) for (let index = 0; index < attempts.length; index++) bufferingTime.put(attempts[index]!.delayMs, second);
    if (record.successful) {
      series[MetricId.UserRecordsPut]!.put(1, second);
      series[MetricId.UserRecordsDataPut]!.put(dataBytes, second);
      bufferingTime.put(record.successDelayMs, second);
    } else {
      series[MetricId.UserRecordsPut]!.put(0, second);
      if (attempts !== undefined && attempts[attempts.length - 1]?.errorCode === RecordErrorCodes.Expired) series[MetricId.UserRecordExpired]!.put(1, second);
    }
    series[MetricId.RetriesPerRecord]!.put(Math.max(0, record.attemptCount - 1), second);
  }

  request(streamName: string, durationMs: number, kinesisRecords: number, userRecords: number, errorCode: string | undefined): void {
    const stream = this.stream(streamName);
    const direct = stream.direct;
    const second = this.second();
    direct[MetricId.RequestTime]!.put(durationMs, second);
    direct[MetricId.KinesisRecordsPerPutRecordsRequest]!.put(kinesisRecords, second);
    direct[MetricId.UserRecordsPerPutRecordsRequest]!.put(userRecords, second);
    if (errorCode !== undefined) {
      this.streamError(stream, errorCode).put(1, second);
      direct[MetricId.AllErrors]!.put(1, second);
    }
  }

  kinesisRecord(
    streamName: string,
    shardId: string | undefined,
    successful: boolean,
    bytes: number,
    userRecords: number,
    errorCode: string | undefined,
  ): void {
    const stream = this.stream(streamName);
    const series = shardId === undefined || shardId === '' ? stream.direct : this.shard(stream, shardId);
    const second = this.second();
    series[MetricId.UserRecordsPerKinesisRecord]!.put(userRecords, second);
    if (successful) {
      series[MetricId.KinesisRecordsPut]!.put(1, second);
      series[MetricId.KinesisRecordsDataPut]!.put(bytes, second);
      series[MetricId.AllErrors]!.put(0, second);
    } else {
      series[MetricId.KinesisRecordsPut]!.put(0, second);
      const error =
        shardId === undefined || shardId === '' ? this.streamError(stream, errorCode) : this.shardError(stream, shardId, errorCode);
      error.put(1, second);
      series[MetricId.AllErrors]!.put(1, second);
    }
  }

  /** One UserRecordsPending sample for a stream. */
  userRecordsPending(streamName: string, pending: number): void {
    this.stream(streamName).direct[MetricId.UserRecordsPending]!.put(pending, this.second());
  }

  private second(): number {
    return this.currentSecond;
  }

  private stream(streamName: string): StreamSeries {
    const last = this.lastStream;
    if (last !== undefined && last.streamName === streamName) return last;
    let series = this.streams.get(streamName);
    if (series === undefined) {
      series = {
        streamName,
        direct: this.newAccumulators(),
        shards: new Map(),
        errorsDirect: new Map(),
        errorsByShard: new Map(),
      };
      this.streams.set(streamName, series);
    }
    this.lastStream = series;
    return series;
  }

  private series(streamName: string, shardId: string | undefined): readonly Accumulator[] {
    const stream = this.stream(streamName);
    return shardId === undefined || shardId === '' ? stream.direct : this.shard(stream, shardId);
  }

  private shard(stream: StreamSeries, shardId: string): readonly Accumulator[] {
    let shard = stream.shards.get(shardId);
    if (shard === undefined) {
      shard = this.newAccumulators();
      stream.shards.set(shardId, shard);
    }
    return shard;
  }

  private streamError(stream: StreamSeries, errorCode: string | undefined): Accumulator {
    const code = errorCode === undefined || errorCode === '' ? UNKNOWN_ERROR_CODE : errorCode;
    let accumulator = stream.errorsDirect.get(code);
    if (accumulator === undefined) {
      accumulator = new Accumulator(0, this.random);
      stream.errorsDirect.set(code, accumulator);
    }
    return accumulator;
  }

  private shardError(stream: StreamSeries, shardId: string, errorCode: string | undefined): Accumulator {
    const code = errorCode === undefined || errorCode === '' ? UNKNOWN_ERROR_CODE : errorCode;
    let byShard = stream.errorsByShard.get(code);
    if (byShard === undefined) {
      byShard = new Map();
      stream.errorsByShard.set(code, byShard);
    }
    let accumulator = byShard.get(shardId);
    if (accumulator === undefined) {
      accumulator = new Accumulator(0, this.random);
      byShard.set(shardId, accumulator);
    }
    return accumulator;
  }

  private newAccumulators(): Accumulator[] {
    const accumulators = new Array<Accumulator>(METRIC_COUNT);
    for (let id = 0; id < METRIC_COUNT; id++) accumulators[id] = new Accumulator(METRICS[id]!.keepsSamples ? this.samplesPerDatum : 0, this.random);
    return accumulators;
  }
}

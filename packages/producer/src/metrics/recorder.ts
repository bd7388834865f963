/**
 * What the pipeline stages call to record metrics. `metricsLevel: 'none'` binds the no-op.
 */
import type { Attempt } from '../record/user-record.js';

/**
 * What the recorder reads of a record at its final outcome: the producer's own record state
 * (no result object is built for metrics).
 */
export interface FinishedRecord {
  readonly successful: boolean;
  /** Attempts made, including those dropped from the capped history. */
  readonly attemptCount: number;
  /** Failed (or synthetic, e.g. `Expired`) attempts kept, oldest first; the final success is not among them. */
  readonly attempts: readonly Attempt[] | undefined;
  /** Delay before the final, successful attempt (ms); meaningless when `successful` is false. */
  readonly successDelayMs: number;
}

export interface MetricsRecorder {
  /** A record was admitted. */
  userRecordReceived(streamName: string): void;
  /** A record reached its final outcome; `shardId` is the actual shard if successful, else the predicted one. */
  userRecordFinished(streamName: string, shardId: string | undefined, record: FinishedRecord, dataBytes: number): void;
  /** One PutRecords call ended; `errorCode` is set when the whole request failed. */
  request(streamName: string, durationMs: number, kinesisRecords: number, userRecords: number, errorCode: string | undefined): void;
  /** One entry of a PutRecords call that got a response. */
  kinesisRecord(streamName: string, shardId: string | undefined, successful: boolean, bytes: number, userRecords: number, errorCode: string | undefined): void;
}

/** The recorder used when metrics are off: every call does nothing. */
export const noopRecorder: MetricsRecorder = {
  userRecordReceived() {},
  userRecordFinished() {},
  request() {},
  kinesisRecord() {},
};

/**
 * What the pipeline stages call to record metrics. `metricsLevel: 'none'` binds the no-op.
 */
import type { RecordResult } from '../pipeline/types.js';

export interface MetricsRecorder {
  /** A record was admitted. */
  userRecordReceived(streamName: string): void;
  /** A record reached its final outcome; `shardId` is the actual shard if successful, else the predicted one. */
  userRecordFinished(streamName: string, shardId: string | undefined, result: RecordResult, dataBytes: number): void;
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

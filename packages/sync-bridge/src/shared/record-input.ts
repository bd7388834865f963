/**
 * The record shape that crosses the ring: what `putRecord` accepts, restricted to what can be
 * framed (strings and bytes).
 */

/** Input of `SyncProducer.putRecord`, the same as the async producer's. */
export interface SyncPutRecordInput {
  /** Name of the stream; or give `streamARN`. */
  readonly streamName?: string;
  /** ARN of the stream (wins over `streamName`). */
  readonly streamARN?: string;
  /** 1 … 256 characters; its MD5 picks the shard unless `explicitHashKey` is given. */
  readonly partitionKey: string;
  /** The record's bytes (a Buffer is a Uint8Array). */
  readonly data: Uint8Array;
  /** Decimal string in 0 … 2^128 − 1 that picks the shard instead of the partition key's hash. */
  readonly explicitHashKey?: string;
}

/** Per-call options of `SyncProducer.putRecord`. */
export interface SyncPutRecordOptions {
  /**
   * How long the call may block waiting for room (backpressure), in milliseconds; then it throws
   * `TimeoutError` and the record is not admitted. 0 never blocks; `Infinity` waits as long as it
   * takes. @defaultValue the producer's `putRecordTimeoutMs` (30000)
   */
  readonly timeoutMs?: number;
}

/**
 * The codes the producer itself puts in `Attempt.errorCode` and `RecordResult.errorCode`
 * (every other code is the one Kinesis or the network returned, e.g.
 * `ProvisionedThroughputExceededException`). Match on these constants rather than on string literals.
 *
 * @example
 * ```ts
 * if (!result.successful && result.errorCode === RecordErrorCodes.Expired) requeue(record);
 * ```
 */
export const RecordErrorCodes = Object.freeze({
  /** The record's `recordTtlMs` passed before Kinesis accepted it. */
  Expired: 'Expired',
  /** Kinesis put the record on a shard other than the one predicted (the shard map is stale); it was retried. */
  WrongShard: 'Wrong Shard',
  /** The PutRecords answer had a different number of entries than were sent; every entry failed this attempt. */
  RecordCountMismatch: 'Record Count Mismatch',
} as const);

/** One of the {@link RecordErrorCodes} values. */
export type RecordErrorCode = (typeof RecordErrorCodes)[keyof typeof RecordErrorCodes];

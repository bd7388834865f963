/** Which requests or entries a fault rule applies to; every given field must match. */
export interface FaultFilter {
  /** Operation name(s), e.g. `'PutRecords'` or `['ListShards', 'DescribeStreamSummary']`. */
  operation?: string | readonly string[];
  /** Stream name (from `StreamName` or `StreamARN` of the request). */
  streamName?: string;
  /**
   * Shard id. Entry faults: the shard the entry is routed to. Request faults: requests naming that
   * shard (`ShardId`, `ShardToSplit`, `ShardToMerge`, or the shard of a shard iterator).
   */
  shardId?: string;
}

/** The whole request fails with this AWS error (`__type`) and HTTP status; nothing is written. */
export interface ErrorFault {
  /** Selects this fault. */
  type: 'error';
  /** E.g. `InternalFailure`, `ServiceUnavailable`, `KMSThrottlingException`, `AccessDeniedException`. */
  errorType: string;
  /** HTTP status; default 500 for `InternalFailure*`, 503 for `ServiceUnavailable*`, else 400. */
  status?: number;
  /** Error message; a default naming the fault is used otherwise. */
  message?: string;
}

/** The answer is delayed by `ms`, or by a uniformly random delay in [`ms`, `maxMs`]. Combines with other faults. */
export interface LatencyFault {
  /** Selects this fault. */
  type: 'latency';
  /** Added delay in ms (the lower bound when `maxMs` is given). */
  ms: number;
  /** Upper bound of a random delay in ms, at least `ms`; absent for a fixed delay. */
  maxMs?: number;
}

/**
 * The request is never answered (until `close()`), or for `ms`; then `then: 'drop'` (default)
 * destroys the connection without writing, `then: 'apply'` processes it late (writes are marked
 * `responseLost` in the ledger: the client has normally given up by then).
 */
export interface HangFault {
  /** Selects this fault. */
  type: 'hang';
  /** How long the request hangs, ms; absent to hang until `close()`. */
  ms?: number;
  /** What happens after `ms`: `'drop'` (default) destroys the connection, `'apply'` processes the request late. */
  then?: 'drop' | 'apply';
}

/** The connection is destroyed after the request body arrives; nothing is written. */
export interface ResetFault {
  /** Selects this fault. */
  type: 'reset';
}

/**
 * The request is processed (the write happens and is marked `responseLost` in the ledger) but the
 * client gets an error (`via: 'error'`, default: HTTP 500 `InternalFailure`) or a reset connection.
 */
export interface LostResponseFault {
  /** Selects this fault. */
  type: 'lostResponse';
  /** How the response is lost: `'error'` (default) answers an error, `'reset'` destroys the connection. */
  via?: 'error' | 'reset';
  /** With `via: 'error'`: the AWS error answered. @defaultValue `'InternalFailure'` */
  errorType?: string;
  /** With `via: 'error'`: the HTTP status; default 500 for `InternalFailure*`, 503 for `ServiceUnavailable*`, else 400. */
  status?: number;
}

/** One PutRecords entry (or a PutRecord request) fails with this error code; nothing is written for it. */
export interface EntryErrorFault {
  /** Selects this fault. */
  type: 'entryError';
  /** E.g. `InternalFailure`, `ProvisionedThroughputExceededException`, `KMSThrottlingException`. */
  errorCode: string;
  /** The entry's `ErrorMessage`; otherwise Kinesis's throttling message for throttling codes, or a default naming the code. */
  message?: string;
}

/** A fault applied to a whole request. */
export type RequestFault = ErrorFault | LatencyFault | HangFault | ResetFault | LostResponseFault;
/** Any fault. */
export type Fault = RequestFault | EntryErrorFault;

/** "The next `count` matching requests (or entries, for `entryError`) get `fault`". */
export interface ScriptedFaultRule extends FaultFilter {
  /** The fault applied. */
  fault: Fault;
  /** How many matching requests/entries it applies to. @defaultValue 1 */
  count?: number;
}

/** "Each matching request (or entry) gets `fault` with this probability", drawn from the seeded PRNG. */
export interface RateFaultRule extends FaultFilter {
  /** The fault applied. */
  fault: Fault;
  /** Probability per matching request/entry, 0–1. */
  probability: number;
}

/** A rule once installed: how often it fired, how many scripted uses remain; `cancel()` removes it. */
export interface FaultRuleHandle {
  /** The rule's ID, unique within its controller (1, 2, …, in installation order). */
  readonly id: number;
  /** Uses left (Infinity for a rate rule; 0 once a scripted rule is used up or cancelled). */
  readonly remaining: number;
  /** How many requests/entries it was applied to. */
  readonly hits: number;
  /** Removes the rule; requests already affected keep their fault. Idempotent. */
  cancel(): void;
}

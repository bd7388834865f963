/**
 * The one way to build a user record: validation and tests use {@link createUserRecord}. The
 * record object is also the {@link Outcome} `putRecord` resolves to, so admitting a record
 * allocates one object for both.
 */
import { successDelayOf } from './attempts.js';
import { Outcome } from './outcome.js';
import type { Attempt, Delivery, OrderedLane, RecordResult, StreamContext, UserRecordState } from './user-record.js';

/** Placeholders until admission sets the real epoch and stream. */
const NO_EPOCH = { unfinished: 0 };
/**
 * The stream of a record not admitted yet, and of a settled one: settlement puts it back so that
 * an outcome the caller keeps does not keep the producer's pipeline (shard map, transport) alive.
 */
export const NO_STREAM: StreamContext = {
  stream: '',
  streamName: '',
  ref: {},
  outstanding: 0,
  lastUsedAt: 0,
  shardMap: undefined,
  throttled() {},
  accept() {},
};

/** A user record in the pipeline, and the handle its caller holds. Fields are documented on {@link UserRecordState}. */
class PipelineRecord extends Outcome implements UserRecordState {
  readonly stream: string;
  readonly streamName: string;
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  data: Uint8Array;
  dataOffset = 0;
  dataLength: number;
  readonly partitionKeyBytes: number;
  deadline = 0;
  expiresAt = 0;
  predictedShard = -1;
  mapGeneration = 0;
  attempts: Attempt[] | undefined = undefined;
  attemptCount = 0;
  lastAttemptEndedAt = 0;
  throttledCount = 0;
  epoch: { unfinished: number } = NO_EPOCH;
  owner: StreamContext = NO_STREAM;
  settled = false;
  delivery: Delivery | undefined = undefined;
  subSequenceNumber = 0;
  cachedResult: RecordResult | undefined = undefined;
  waiting: Promise<RecordResult> | undefined = undefined;
  notify: ((result: RecordResult) => void) | undefined = undefined;
  lane: OrderedLane | undefined = undefined;

  get successful(): boolean {
    return this.delivery !== undefined;
  }

  get successDelayMs(): number {
    return successDelayOf(this);
  }

  constructor(stream: string, streamName: string, partitionKey: string, explicitHashKey: string | undefined, data: Uint8Array, partitionKeyBytes: number) {
    super();
    this.stream = stream;
    this.streamName = streamName;
    this.partitionKey = partitionKey;
    this.explicitHashKey = explicitHashKey;
    this.data = data;
    this.dataLength = data.length;
    this.partitionKeyBytes = partitionKeyBytes;
  }
}

/**
 * Builds a user record from what identifies it (see {@link UserRecordState} for each field);
 * everything else starts empty and is set on admission. Positional, so that the hot path builds
 * no argument object per record.
 */
export function createUserRecord(
  stream: string,
  streamName: string,
  partitionKey: string,
  explicitHashKey: string | undefined,
  data: Uint8Array,
  partitionKeyBytes: number,
): UserRecordState {
  return new PipelineRecord(stream, streamName, partitionKey, explicitHashKey, data, partitionKeyBytes);
}

/** The caller's handle of an admitted record: the record itself, as every record is made by {@link createUserRecord}. */
export function outcomeOf(record: UserRecordState): Outcome {
  return record as PipelineRecord;
}

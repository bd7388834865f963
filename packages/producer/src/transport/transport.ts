/**
 * The pipeline's only view of Kinesis. The default implementation wraps
 * `@aws-sdk/client-kinesis`; tests use a scripted fake. Shapes are the producer's own
 * (camelCase), independent of the SDK's.
 */
import type { KinesisRecordEntry } from '@tskpl/agg-codec';

/** Identifies a stream by name or ARN (the ARN wins when both are given). */
export interface StreamRef {
  /** The stream's name, e.g. `orders`. */
  readonly streamName?: string;
  /** The stream's ARN, e.g. `arn:aws:kinesis:us-east-1:123456789012:stream/orders`. */
  readonly streamARN?: string;
}

/** One entry of a PutRecords response. */
export interface PutRecordsResultEntry {
  /** The sequence number Kinesis assigned; present when the entry was stored. */
  readonly sequenceNumber?: string;
  /** The shard that stored the entry; present when it was stored. */
  readonly shardId?: string;
  /** Why the entry was not stored, e.g. `ProvisionedThroughputExceededException` or `InternalFailure`; absent on success. */
  readonly errorCode?: string;
  /** Kinesis's message for `errorCode`. */
  readonly errorMessage?: string;
}

/** A PutRecords response: one result per request entry, in order. */
export interface PutRecordsResponse {
  /** One result per entry sent, in the same order; a different count fails every entry with `Record Count Mismatch`. */
  readonly records: readonly PutRecordsResultEntry[];
  /** Entries not stored; informational (the producer reads each entry's `errorCode`). */
  readonly failedRecordCount?: number;
}

/** One shard as ListShards describes it. */
export interface ShardDescription {
  /** The shard's ID, e.g. `shardId-000000000000`. */
  readonly shardId: string;
  /** Lowest hash key of the shard's range, a decimal string (inclusive, 0 … 2^128 − 1). */
  readonly startingHashKey: string;
  /** Highest hash key of the shard's range, a decimal string (inclusive). */
  readonly endingHashKey: string;
  /** The shard this one was split from, or one of the two it was merged from. */
  readonly parentShardId?: string;
  /** The other shard of a merge; absent after a split. */
  readonly adjacentParentShardId?: string;
}

/** One page of ListShards. */
export interface ListShardsPage {
  /** The page's shards (the producer asks for open shards only: `ShardFilter` `AT_LATEST`). */
  readonly shards: readonly ShardDescription[];
  /** Token for the next page; absent on the last page. */
  readonly nextToken?: string;
}

/** A ListShards call: the first page names the stream; later pages carry only the token. */
export type ListShardsRequest =
  | {
    /** The stream whose shards to list (first page). */
    readonly stream: StreamRef;
    /** Shards per page at most (the producer asks for 1000). */
    readonly maxResults: number;
    /** Absent on the first page. */
    readonly nextToken?: undefined;
  }
  | {
    /** Absent on later pages: the token identifies the stream. */
    readonly stream?: undefined;
    /** Shards per page at most (the producer asks for 1000). */
    readonly maxResults: number;
    /** The previous page's `nextToken`. */
    readonly nextToken: string;
  };

/** What the producer needs from DescribeStreamSummary. */
export interface StreamSummary {
  /** The stream's name. */
  readonly streamName?: string;
  /** The stream's ARN; the producer learns it from here when it was given only the name. */
  readonly streamARN?: string;
  /** The stream's maximum record size (data + partition key), in KiB; 1024 when the service does not say. */
  readonly maxRecordSizeInKiB?: number;
  /** `CREATING`, `ACTIVE`, `UPDATING` or `DELETING`, as Kinesis reports it. */
  readonly streamStatus?: string;
  /** `PROVISIONED` or `ON_DEMAND`. */
  readonly streamMode?: string;
  /** `AUTO` when the stream places records without regard to partition keys. */
  readonly recordDistributionStrategy?: string;
}

/** Per-call options of {@link KinesisTransport.putRecords}. */
export interface PutRecordsOptions {
  /**
   * Aborted when the producer gives up on the request (its overall deadline: `requestTimeoutMs`,
   * or the earliest TTL of the records it carries). The producer treats the request as failed at
   * that moment whether or not the transport honours the signal; honouring it frees the connection.
   */
  readonly signal?: AbortSignal;
  /**
   * The transport may call this once it has written the request body and reads the entries' data
   * no more: the producer then drops its own references to the bytes, so that a request in flight
   * holds them once (in its body) rather than twice. A transport that never calls it is correct;
   * the bytes then stay referenced until the request completes.
   */
  readonly onBodyWritten?: () => void;
}

/**
 * The transport contract: the three Kinesis calls the producer makes, in the producer's own
 * shapes. Failures are thrown as errors whose `name` (or `code`) is the AWS error code and, for
 * HTTP-level failures, `$metadata.httpStatusCode` the status; the producer classifies them and
 * retries, so an implementation must not retry on its own.
 */
export interface KinesisTransport {
  /**
   * One PutRecords request of 1 … 500 entries. Resolves with per-entry results even when some entries
   * failed; rejects only when the request as a whole failed.
   */
  putRecords(stream: StreamRef, entries: readonly KinesisRecordEntry[], options?: PutRecordsOptions): Promise<PutRecordsResponse>;
  /** One page of ListShards (open shards only). */
  listShards(request: ListShardsRequest): Promise<ListShardsPage>;
  /**
   * DescribeStreamSummary, asked once per stream when its first record arrives (retried a few times
   * on failure, then the defaults are assumed).
   */
  describeStreamSummary(stream: StreamRef): Promise<StreamSummary>;
  /** Releases connections; called by `close()` after the last request completed. */
  destroy(): void;
}

/**
 * The pipeline's only view of Kinesis. The default implementation wraps
 * `@aws-sdk/client-kinesis`; tests use a scripted fake. Shapes are the producer's own
 * (camelCase), independent of the SDK's.
 */
import type { KinesisRecordEntry } from '@tskpl/agg-codec';

/** Identifies a stream by name or ARN (the ARN wins when both are given). */
export interface StreamRef {
  readonly streamName?: string;
  readonly streamARN?: string;
}

/** One entry of a PutRecords response. */
export interface PutRecordsResultEntry {
  readonly sequenceNumber?: string;
  readonly shardId?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** A PutRecords response: one result per request entry, in order. */
export interface PutRecordsResponse {
  readonly records: readonly PutRecordsResultEntry[];
  readonly failedRecordCount?: number;
}

/** One shard as ListShards describes it. */
export interface ShardDescription {
  readonly shardId: string;
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  readonly parentShardId?: string;
  readonly adjacentParentShardId?: string;
}

/** One page of ListShards. */
export interface ListShardsPage {
  readonly shards: readonly ShardDescription[];
  readonly nextToken?: string;
}

/** A ListShards call: the first page names the stream; later pages carry only the token. */
export type ListShardsRequest =
  | { readonly stream: StreamRef; readonly maxResults: number; readonly nextToken?: undefined }
  | { readonly stream?: undefined; readonly maxResults: number; readonly nextToken: string };

/** What the producer needs from DescribeStreamSummary. */
export interface StreamSummary {
  readonly streamName?: string;
  readonly streamARN?: string;
  /** The stream's maximum record size (data + partition key), in KiB; 1024 when the service does not say. */
  readonly maxRecordSizeInKiB?: number;
  readonly streamStatus?: string;
  /** `PROVISIONED` or `ON_DEMAND`. */
  readonly streamMode?: string;
  /** `AUTO` when the stream places records without regard to partition keys. */
  readonly recordDistributionStrategy?: string;
}

/**
 * The transport contract. Failures are thrown as errors whose `name` (or `code`) is the AWS
 * error code and, for HTTP-level failures, `$metadata.httpStatusCode` the status.
 */
/** Per-call options of {@link KinesisTransport.putRecords}. */
export interface PutRecordsOptions {
  /**
   * Aborted when the producer gives up on the request (its overall deadline: `requestTimeoutMs`,
   * or the earliest TTL of the records it carries). The producer treats the request as failed at
   * that moment whether or not the transport honours the signal; honouring it frees the connection.
   */
  readonly signal?: AbortSignal;
}

export interface KinesisTransport {
  putRecords(stream: StreamRef, entries: readonly KinesisRecordEntry[], options?: PutRecordsOptions): Promise<PutRecordsResponse>;
  listShards(request: ListShardsRequest): Promise<ListShardsPage>;
  describeStreamSummary(stream: StreamRef): Promise<StreamSummary>;
  /** Releases connections; called by `close()` after the last request completed. */
  destroy(): void;
}

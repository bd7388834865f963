/** A Kinesis record given as plain fields. */
export interface RawKinesisRecord {
  /** The record's bytes as stored in the stream. */
  data: Uint8Array;
  /** The record's partition key (`"a"` for a KPL aggregate). */
  partitionKey: string;
  /** The explicit hash key it was put with, when known. */
  explicitHashKey?: string;
  /** The record's sequence number, copied to every user record. */
  sequenceNumber?: string;
}

/** A record as the AWS SDK's `GetRecords` returns it (matched structurally; no SDK import). */
export interface SdkKinesisRecord {
  /** The record's bytes. */
  Data: Uint8Array;
  /** The record's partition key. */
  PartitionKey: string;
  /** The record's sequence number. */
  SequenceNumber?: string;
  /** The explicit hash key, when known. */
  ExplicitHashKey?: string;
}

/** A record of an AWS Lambda Kinesis event (`KinesisStreamRecord`); `kinesis.data` is base64. */
export interface LambdaKinesisRecord {
  /** The Kinesis payload of the event record. */
  kinesis: {
    /** Base64 of the record's bytes. */
    data: string;
    /** The record's partition key. */
    partitionKey: string;
    /** The record's sequence number. */
    sequenceNumber?: string;
  };
}

/**
 * A record as Kinesis Data Analytics or Firehose hand it to a preprocessing Lambda: base64
 * `data` and the stream fields under `kinesisStreamRecordMetadata` (or `kinesisRecordMetadata`).
 */
export interface KinesisPreprocessingRecord {
  /** Base64 of the record's bytes. */
  data: string;
  /** Stream metadata (Kinesis Data Analytics). */
  kinesisStreamRecordMetadata?: {
    /** The record's partition key. */
    partitionKey: string;
    /** The record's sequence number, copied to every user record. */
    sequenceNumber?: string;
  };
  /** Stream metadata (Firehose). */
  kinesisRecordMetadata?: {
    /** The record's partition key. */
    partitionKey: string;
    /** The record's sequence number, copied to every user record. */
    sequenceNumber?: string;
  };
}

/** Any record shape {@link deaggregate} accepts. */
export type DeaggregateInput = RawKinesisRecord | SdkKinesisRecord | LambdaKinesisRecord | KinesisPreprocessingRecord;

/** A Kinesis shard's hash key range, inclusive, as canonical decimal strings. */
export interface ShardHashRange {
  /** `StartingHashKey` of the shard. */
  start: string;
  /** `EndingHashKey` of the shard. */
  end: string;
}

/** Options of {@link deaggregate}. */
export interface DeaggregateOptions {
  /**
   * Throw a {@link CodecError} instead of passing a record through as one non-aggregated record
   * (`ERR_NOT_AGGREGATE`, `ERR_CORRUPT_AGGREGATE`) or dropping an out-of-range aggregate
   * (`ERR_HASH_KEY_OUT_OF_RANGE`).
   * @defaultValue false
   */
  strict?: boolean;
  /**
   * The hash key range of the shard the record was read from. When given, an aggregate with any
   * sub-record hashing outside it is dropped as a whole (the KCL's rule): `[]` is returned, or
   * `ERR_HASH_KEY_OUT_OF_RANGE` is thrown in strict mode.
   */
  shardHashRange?: ShardHashRange;
}

/** One user record out of {@link deaggregate}. */
export interface DeaggregatedRecord {
  /** The user record's partition key. */
  partitionKey: string;
  /** Present only when the aggregate carried one for this record (or the input record had one). */
  explicitHashKey?: string;
  /**
   * The user's bytes: a plain `Uint8Array` view into the input bytes (or the base64-decoded copy),
   * not a copy and not a `Buffer`. Copy it if you keep it longer than the input.
   */
  data: Uint8Array;
  /** True when the record came out of a KPL aggregate. */
  aggregated: boolean;
  /** Index inside the aggregate; 0 for a record that was not aggregated. */
  subSequenceNumber: number;
  /** The enclosing Kinesis record's sequence number, when the input had one. */
  sequenceNumber?: string;
}

// protobufjs loaded from a .proto text of the KPL schema: an independent oracle for our bytes.
import protobuf from 'protobufjs';

export const AGGREGATE_PROTO = `
syntax = "proto2";
package aws.kinesis.protobuf;
message AggregatedRecord {
  repeated string partition_key_table = 1;
  repeated string explicit_hash_key_table = 2;
  repeated Record records = 3;
}
message Tag {
  required string key = 1;
  optional string value = 2;
}
message Record {
  required uint64 partition_key_index = 1;
  optional uint64 explicit_hash_key_index = 2;
  required bytes data = 3;
  repeated Tag tags = 4;
}
`;

const root = protobuf.parse(AGGREGATE_PROTO, { keepCase: true }).root;
export const AggregatedRecordType = root.lookupType('aws.kinesis.protobuf.AggregatedRecord');

export interface OracleRecord {
  partitionKey: string;
  explicitHashKey?: string;
  data: Uint8Array;
}

/** Decodes an aggregate's protobuf with protobufjs into user records. */
export function decodeWithProtobufjs(blob: Uint8Array): OracleRecord[] {
  const message = AggregatedRecordType.decode(blob.subarray(4, blob.length - 16));
  const object = AggregatedRecordType.toObject(message, { longs: Number, arrays: true }) as {
    partition_key_table: string[];
    explicit_hash_key_table: string[];
    records: { partition_key_index: number; explicit_hash_key_index?: number; data: Uint8Array }[];
  };
  return object.records.map((record) => {
    const out: OracleRecord = {
      partitionKey: object.partition_key_table[record.partition_key_index] as string,
      data: new Uint8Array(record.data),
    };
    if (record.explicit_hash_key_index !== undefined) {
      out.explicitHashKey = object.explicit_hash_key_table[record.explicit_hash_key_index] as string;
    }
    return out;
  });
}

/** Encodes records with protobufjs (tables deduplicated in first-insertion order) — the KPL layout. */
export function encodeProtobufWithProtobufjs(records: readonly OracleRecord[]): Uint8Array {
  const partitionKeys = new Map<string, number>();
  const explicitHashKeys = new Map<string, number>();
  const entries = records.map((record) => {
    if (!partitionKeys.has(record.partitionKey)) partitionKeys.set(record.partitionKey, partitionKeys.size);
    const entry: Record<string, unknown> = { partition_key_index: partitionKeys.get(record.partitionKey), data: record.data };
    if (record.explicitHashKey !== undefined) {
      if (!explicitHashKeys.has(record.explicitHashKey)) explicitHashKeys.set(record.explicitHashKey, explicitHashKeys.size);
      entry['explicit_hash_key_index'] = explicitHashKeys.get(record.explicitHashKey);
    }
    return entry;
  });
  return AggregatedRecordType.encode({
    partition_key_table: [...partitionKeys.keys()],
    explicit_hash_key_table: [...explicitHashKeys.keys()],
    records: entries,
  }).finish();
}

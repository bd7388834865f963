/** A user record as the encoder takes it. */
export interface UserRecord {
  /** Partition key, 1 … 256 Unicode code points. */
  partitionKey: string;
  /** Optional canonical decimal explicit hash key (0 … 2^128 − 1); routes the record instead of the key's MD5. */
  explicitHashKey?: string;
  /** The user's bytes (a Buffer is a Uint8Array). */
  data: Uint8Array;
}

/** A ready PutRecords entry. */
export interface KinesisRecordEntry {
  /** The record's own key (one user record) or `"a"` (an aggregate). */
  partitionKey: string;
  /** Canonical decimal hash key of the (first) user record; always set, as the KPL does. */
  explicitHashKey: string;
  /** Raw user data (one record) or magic + protobuf + MD5 (an aggregate). */
  data: Uint8Array;
}

import { CodecError, describeValue } from '../errors.js';
import { AggregateBuilder } from './aggregate-builder.js';
import type { KinesisRecordEntry, UserRecord } from './types.js';

/**
 * Encodes user records into one Kinesis record exactly as the KPL would for the same records in
 * the same order.
 *
 * - one record → its raw data, its own partition key, `explicitHashKey` = its hash key (decimal);
 * - two or more → magic + protobuf + MD5, partition key `"a"`, `explicitHashKey` = the first
 *   record's hash key.
 *
 * @param records - at least one record
 * @throws {@link CodecError} `ERR_EMPTY_RECORDS` for an empty list, or the validation codes of a bad record
 */
export function encodeAggregate(records: readonly UserRecord[]): KinesisRecordEntry {
  if (!Array.isArray(records)) {
    throw new CodecError('ERR_INVALID_RECORD', `records must be an array of user records; received ${describeValue(records)}`);
  }
  if (records.length === 0) {
    throw new CodecError('ERR_EMPTY_RECORDS', 'records must hold at least 1 user record; received an empty array');
  }
  const builder = new AggregateBuilder();
  for (const record of records) builder.add(record);
  return builder.build();
}

import { MAX_PARTITION_KEY_LENGTH } from './constants.js';
import { CodecError, describeValue } from './errors.js';

/**
 * Number of Unicode code points in a string: its UTF-16 units, counting a surrogate pair once
 * (an unpaired surrogate counts as one, as it is written as one `?`).
 * @param value - any string
 */
export function codePointLength(value: string): number {
  let length = value.length;
  for (let index = 0; index < value.length - 1; index++) {
    const unit = value.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        index++;
      }
    }
  }
  return length;
}

/**
 * Checks a partition key the way Kinesis does: a string of 1 … 256 Unicode code points. (The
 * Java KPL counts UTF-16 units instead and so refuses keys of more than 128 emoji that the
 * service accepts.)
 * @param partitionKey - the value to check
 * @throws {@link CodecError} `ERR_INVALID_PARTITION_KEY` otherwise
 */
export function validatePartitionKey(partitionKey: unknown): asserts partitionKey is string {
  if (
    typeof partitionKey !== 'string' ||
    partitionKey.length === 0 ||
    // 256 code points take at most 512 UTF-16 units; only longer strings need counting.
    (partitionKey.length > MAX_PARTITION_KEY_LENGTH && (partitionKey.length > 2 * MAX_PARTITION_KEY_LENGTH || codePointLength(partitionKey) > MAX_PARTITION_KEY_LENGTH))
  ) {
    throw new CodecError(
      'ERR_INVALID_PARTITION_KEY',
      `partitionKey must be a string of 1 to ${MAX_PARTITION_KEY_LENGTH} Unicode code points; received ${typeof partitionKey === 'string' ? `${describeValue(partitionKey)} (${codePointLength(partitionKey)} code points)` : describeValue(partitionKey)}`,
    );
  }
}

/**
 * Checks that record data is a Uint8Array (a Buffer is one).
 * @internal
 */
export function validateData(data: unknown, name = 'data'): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new CodecError('ERR_INVALID_DATA', `${name} must be a Uint8Array (a Buffer is one); received ${describeValue(data)}`);
  }
}

import { MAX_PARTITION_KEY_LENGTH } from './constants.js';
import { CodecError, describeValue } from './errors.js';

/**
 * Checks a partition key the way the KPL does: a string of 1 … 256 UTF-16 code units.
 * @param partitionKey - the value to check
 * @throws {@link CodecError} `ERR_INVALID_PARTITION_KEY` otherwise
 */
export function validatePartitionKey(partitionKey: unknown): asserts partitionKey is string {
  if (typeof partitionKey !== 'string' || partitionKey.length === 0 || partitionKey.length > MAX_PARTITION_KEY_LENGTH) {
    throw new CodecError(
      'ERR_INVALID_PARTITION_KEY',
      `partitionKey must be a string of 1 to ${MAX_PARTITION_KEY_LENGTH} UTF-16 code units; received ${describeValue(partitionKey)}`,
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

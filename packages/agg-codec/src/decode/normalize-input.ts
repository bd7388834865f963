import { CodecError, describeValue } from '../errors.js';
import type { DeaggregateInput } from './types.js';

/** The fields deaggregation needs, whatever shape the record came in. @internal */
export interface NormalizedRecord {
  bytes: Buffer;
  partitionKey: string;
  explicitHashKey: string | undefined;
  sequenceNumber: string | undefined;
}

type Loose = Record<string, unknown>;

function asBuffer(data: unknown, name: string): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new CodecError('ERR_INVALID_DATA', `${name} must be a Uint8Array (a Buffer is one); received ${describeValue(data)}`);
}

function fromBase64(data: unknown, name: string): Buffer {
  if (typeof data !== 'string') {
    throw new CodecError('ERR_INVALID_DATA', `${name} must be a base64 string; received ${describeValue(data)}`);
  }
  return Buffer.from(data, 'base64');
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new CodecError('ERR_INVALID_RECORD', `${name} must be a string when present; received ${describeValue(value)}`);
  }
  return value;
}

function partitionKeyOf(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new CodecError('ERR_INVALID_PARTITION_KEY', `${name} must be a string; received ${describeValue(value)}`);
  }
  return value;
}

/**
 * Recognises the accepted record shapes: a Lambda event record (`kinesis`), an SDK record
 * (`Data`), a Kinesis Analytics / Firehose preprocessing record (`data` as base64 string with
 * stream metadata) and a raw record (`data` as bytes).
 * @internal
 */
export function normalizeInput(input: DeaggregateInput): NormalizedRecord {
  if (typeof input !== 'object' || input === null) {
    throw new CodecError('ERR_INVALID_RECORD', `record must be an object; received ${describeValue(input)}`);
  }
  const record = input as unknown as Loose;
  const kinesis = record['kinesis'];
  if (typeof kinesis === 'object' && kinesis !== null) {
    const payload = kinesis as Loose;
    return {
      bytes: fromBase64(payload['data'], 'kinesis.data'),
      partitionKey: partitionKeyOf(payload['partitionKey'], 'kinesis.partitionKey'),
      explicitHashKey: optionalString(payload['explicitHashKey'], 'kinesis.explicitHashKey'),
      sequenceNumber: optionalString(payload['sequenceNumber'], 'kinesis.sequenceNumber'),
    };
  }
  if ('Data' in record) {
    return {
      bytes: asBuffer(record['Data'], 'Data'),
      partitionKey: partitionKeyOf(record['PartitionKey'], 'PartitionKey'),
      explicitHashKey: optionalString(record['ExplicitHashKey'], 'ExplicitHashKey'),
      sequenceNumber: optionalString(record['SequenceNumber'], 'SequenceNumber'),
    };
  }
  const metadata = record['kinesisStreamRecordMetadata'] ?? record['kinesisRecordMetadata'];
  if (typeof metadata === 'object' && metadata !== null && typeof record['data'] === 'string') {
    const fields = metadata as Loose;
    return {
      bytes: fromBase64(record['data'], 'data'),
      partitionKey: partitionKeyOf(fields['partitionKey'], 'metadata partitionKey'),
      explicitHashKey: undefined,
      sequenceNumber: optionalString(fields['sequenceNumber'], 'metadata sequenceNumber'),
    };
  }
  if ('data' in record) {
    return {
      bytes: asBuffer(record['data'], 'data'),
      partitionKey: partitionKeyOf(record['partitionKey'], 'partitionKey'),
      explicitHashKey: optionalString(record['explicitHashKey'], 'explicitHashKey'),
      sequenceNumber: optionalString(record['sequenceNumber'], 'sequenceNumber'),
    };
  }
  throw new CodecError(
    'ERR_INVALID_RECORD',
    'record must be { data, partitionKey }, an SDK Record { Data, PartitionKey }, a Lambda Kinesis event record { kinesis: { data, partitionKey } } or a preprocessing record { data, kinesisStreamRecordMetadata }',
  );
}

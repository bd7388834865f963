/**
 * Validation of `putRecord` input: every problem is a typed ValidationError raised before
 * anything is buffered.
 */
import { codePointLength, isCanonicalExplicitHashKey } from '@tskpl/agg-codec';
import { describeValue, ValidationError } from '../errors/errors.js';
import { createUserRecord } from '../record/pipeline-record.js';
import { userRecordBytesOf, type UserRecordState } from '../record/user-record.js';

/** Input of `putRecord`. */
export interface PutRecordInput {
  /** Name of the stream; or give `streamARN`. */
  readonly streamName?: string;
  /** ARN of the stream (wins over `streamName`). */
  readonly streamARN?: string;
  /** 1 … 256 characters; its MD5 picks the shard unless `explicitHashKey` is given. */
  readonly partitionKey: string;
  /** The record's bytes (a Buffer is a Uint8Array). */
  readonly data: Uint8Array;
  /** Decimal string in 0 … 2^128 − 1 that picks the shard instead of the partition key's hash. */
  readonly explicitHashKey?: string;
}


const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
/** Per-producer memo of the last stream that passed its pattern: most producers write to one stream, so the pattern runs once, not per record. */
export interface ValidationMemo {
  lastValidName: string;
  lastValidArn: string;
}
const STREAM_ARN = /^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]{1,128}$/;

/**
 * Checks one record and returns its pipeline state (times are set on admission); throws
 * {@link ValidationError}. `maxUserRecordSize` bounds the data alone.
 */
export function validateInput(input: PutRecordInput, maxUserRecordSize: number, memo: ValidationMemo): UserRecordState {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('ERR_INVALID_DATA', 'input', `putRecord expects an object; got ${describeValue(input)}.`);
  }
  // Each field is read once: what is checked is what is used, even for an input with getters.
  const { streamName, streamARN, partitionKey, data, explicitHashKey } = input;
  const stream = checkFields(streamName, streamARN, partitionKey, data, explicitHashKey, maxUserRecordSize, memo);
  const partitionKeyBytes = asciiLength(partitionKey) ?? Buffer.byteLength(partitionKey, 'utf8');
  const name = streamARN === undefined ? stream : stream.slice(stream.indexOf(':stream/') + 8);
  return createUserRecord(stream, name, partitionKey, explicitHashKey, data, partitionKeyBytes);
}

/** The checks of {@link validateInput}, without building anything: returns the stream key (the ARN when given, else the name). */
function checkFields(
  streamName: unknown,
  streamARN: unknown,
  partitionKey: unknown,
  data: unknown,
  explicitHashKey: unknown,
  maxUserRecordSize: number,
  memo: ValidationMemo,
): string {
  let stream: string;
  if (streamARN !== undefined) {
    if (streamARN !== memo.lastValidArn && (typeof streamARN !== 'string' || !STREAM_ARN.test(streamARN))) {
      throw new ValidationError('ERR_INVALID_STREAM', 'streamARN', `Invalid streamARN: got ${describeValue(streamARN)}; expected arn:aws:kinesis:<region>:<account>:stream/<name>.`);
    }
    stream = streamARN;
    memo.lastValidArn = streamARN;
  } else if (streamName === undefined || streamName === null || (typeof streamName === 'string' && streamName.trim() === '')) {
    throw new ValidationError('ERR_MISSING_STREAM', 'streamName', 'A streamName or streamARN is required.');
  } else {
    if (streamName !== memo.lastValidName && (typeof streamName !== 'string' || !STREAM_NAME.test(streamName))) {
      throw new ValidationError('ERR_INVALID_STREAM', 'streamName', `Invalid streamName: got ${describeValue(streamName)}; expected 1 … 128 characters of a-z, A-Z, 0-9, "_", "." and "-".`);
    }
    stream = streamName;
    memo.lastValidName = streamName;
  }
  // Kinesis counts a partition key's length in Unicode code points (1 … 256), not UTF-16 units as
  // the Java KPL does: 200 emoji (400 UTF-16 units) are a valid key.
  if (typeof partitionKey !== 'string' || partitionKey.length < 1 || (partitionKey.length > 256 && codePointLength(partitionKey) > 256)) {
    throw new ValidationError('ERR_INVALID_PARTITION_KEY', 'partitionKey', `Invalid partitionKey: got ${describeValue(partitionKey)}; expected a string of 1 … 256 Unicode code points.`);
  }
  if (!(data instanceof Uint8Array)) {
    throw new ValidationError('ERR_INVALID_DATA', 'data', `Invalid data: got ${describeValue(data)}; expected a Uint8Array (a Buffer is one).`);
  }
  if (data.length > maxUserRecordSize) {
    throw new ValidationError('ERR_RECORD_TOO_LARGE', 'data', `data is ${data.length} bytes; maxUserRecordSize allows at most ${maxUserRecordSize}.`);
  }
  if (explicitHashKey !== undefined && (typeof explicitHashKey !== 'string' || !isCanonicalExplicitHashKey(explicitHashKey))) {
    throw new ValidationError('ERR_INVALID_EXPLICIT_HASH_KEY', 'explicitHashKey', `Invalid explicitHashKey: got ${describeValue(explicitHashKey)}; expected a decimal integer in 0 … 2^128 − 1 without sign or leading zeros.`);
  }
  return stream;
}

/** The UTF-8 length of an ASCII string (its length), or undefined when it holds other characters. */
function asciiLength(value: string): number | undefined {
  for (let index = 0; index < value.length; index++) if (value.charCodeAt(index) > 0x7f) return undefined;
  return value.length;
}

/** Throws when data + partition key exceed the stream's maximum record size. */
export function checkStreamRecordSize(input: UserRecordState, maxRecordBytes: number): void {
  const size = userRecordBytesOf(input);
  if (size > maxRecordBytes) {
    throw new ValidationError('ERR_RECORD_TOO_LARGE', 'data', `data (${input.data.length} bytes) + partitionKey (${input.partitionKeyBytes} bytes) is ${size} bytes; the stream accepts at most ${maxRecordBytes}.`);
  }
}

/**
 * Checks a `putRecord` input the way `Producer.putRecord` does, without a producer: throws the
 * same {@link ValidationError}. The stream's own maximum record size is not known here, so data +
 * partition key is checked against Kinesis's default of 1 MiB only when `maxUserRecordSize`
 * allows more. For callers that must reject bad input synchronously (the sync bridge).
 */
export function validatePutRecordInput(input: PutRecordInput, maxUserRecordSize = 1_048_576): void {
  // Checks only: no hash, no record (the sync bridge calls this for every record on the caller's thread).
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('ERR_INVALID_DATA', 'input', `putRecord expects an object; got ${describeValue(input)}.`);
  }
  checkFields(input.streamName, input.streamARN, input.partitionKey, input.data, input.explicitHashKey, maxUserRecordSize, SHARED_MEMO);
}

/** The memo of {@link validatePutRecordInput}: a stream name that passed its pattern once passes again, whoever asks. */
const SHARED_MEMO: ValidationMemo = { lastValidName: '', lastValidArn: '' };

import { AGGREGATE_OVERHEAD, DIGEST_SIZE, MAGIC_0, MAGIC_1, MAGIC_2, MAGIC_3 } from '../constants.js';
import { CodecError, describeValue } from '../errors.js';
import { decimalToBytes } from '../hash-key/decimal.js';
import { compareHashKeys, isCanonicalExplicitHashKey, partitionKeyHash } from '../hash-key/hash-key.js';
import { explicitHashKeyAsKcl } from '../hash-key/java-big-integer.js';
import { md5 } from '../hash-key/md5.js';
import { readKplLayout } from './kpl-layout.js';
import { normalizeInput } from './normalize-input.js';
import type { NormalizedRecord } from './normalize-input.js';
import { parseAggregatedRecord, ProtobufError } from './protobuf-reader.js';
import type { ParsedAggregate } from './protobuf-reader.js';
import { subRecord } from './sub-record.js';
import type { DeaggregatedRecord, DeaggregateInput, DeaggregateOptions } from './types.js';

interface HashRange {
  start: Uint8Array;
  end: Uint8Array;
}

function resolveOptions(options: DeaggregateOptions | undefined): { strict: boolean; range: HashRange | undefined } {
  if (options === undefined) return { strict: false, range: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new CodecError('ERR_INVALID_CONFIG', `options must be an object; received ${describeValue(options)}`);
  }
  const strict = options.strict ?? false;
  if (typeof strict !== 'boolean') {
    throw new CodecError('ERR_INVALID_CONFIG', `options.strict must be a boolean; received ${describeValue(strict)}`);
  }
  const shardHashRange = options.shardHashRange;
  if (shardHashRange === undefined) return { strict, range: undefined };
  const { start, end } = (shardHashRange ?? {}) as { start?: unknown; end?: unknown };
  for (const [name, value] of [['start', start], ['end', end]] as const) {
    if (typeof value !== 'string' || !isCanonicalExplicitHashKey(value)) {
      throw new CodecError(
        'ERR_INVALID_CONFIG',
        `options.shardHashRange.${name} must be a canonical decimal hash key between 0 and 2^128 − 1; received ${describeValue(value)}`,
      );
    }
  }
  const range = { start: decimalToBytes(start as string), end: decimalToBytes(end as string) };
  if (compareHashKeys(range.start, range.end) > 0) {
    throw new CodecError('ERR_INVALID_CONFIG', `options.shardHashRange.start (${start as string}) must not exceed end (${end as string})`);
  }
  return { strict, range };
}

function passThrough(record: NormalizedRecord): DeaggregatedRecord[] {
  const bytes = record.bytes;
  // A plain Uint8Array view, like the data of sub-records.
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const result: DeaggregatedRecord = { partitionKey: record.partitionKey, data, aggregated: false, subSequenceNumber: 0 };
  if (record.explicitHashKey !== undefined) result.explicitHashKey = record.explicitHashKey;
  if (record.sequenceNumber !== undefined) result.sequenceNumber = record.sequenceNumber;
  return [result];
}

function hasMagic(bytes: Buffer): boolean {
  return bytes[0] === MAGIC_0 && bytes[1] === MAGIC_1 && bytes[2] === MAGIC_2 && bytes[3] === MAGIC_3;
}

function digestMatches(bytes: Buffer): boolean {
  const trailer = bytes.length - DIGEST_SIZE;
  const digest = md5(bytes.subarray(4, trailer));
  for (let index = 0; index < DIGEST_SIZE; index++) {
    if (digest[index] !== bytes[trailer + index]) return false;
  }
  return true;
}

/** Why a record is not a usable aggregate, or undefined when its indices are all in bounds. */
function indexProblem(parsed: ParsedAggregate): string | undefined {
  const partitionKeys = parsed.partitionKeyTable.length;
  const explicitHashKeys = parsed.explicitHashKeyTable.length;
  for (let index = 0; index < parsed.partitionKeyIndices.length; index++) {
    if ((parsed.partitionKeyIndices[index] as number) >= partitionKeys) {
      return `sub-record ${index} has partition_key_index ${parsed.partitionKeyIndices[index]} but the table holds ${partitionKeys} keys`;
    }
    if ((parsed.explicitHashKeyIndices[index] as number) >= explicitHashKeys) {
      return `sub-record ${index} has explicit_hash_key_index ${parsed.explicitHashKeyIndices[index]} but the table holds ${explicitHashKeys} keys`;
    }
  }
  return undefined;
}

/**
 * The KCL's hash-key check: index of the first sub-record whose hash key lies outside `range`,
 * -1 when all are inside, or a problem text for the first explicit hash key that is not an
 * integer in 0 … 2^128 − 1 as Java's `BigInteger` reads it. Without a range only explicit hash
 * keys are checked (a partition key's MD5 is always inside 0 … 2^128 − 1).
 */
function checkHashKeys(records: readonly DeaggregatedRecord[], range: HashRange | undefined): number | string {
  let partitionKeyHashes: Map<string, Uint8Array> | undefined;
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as DeaggregatedRecord;
    const explicitHashKey = record.explicitHashKey;
    let hashKey: Uint8Array;
    if (explicitHashKey !== undefined) {
      if (range === undefined && isCanonicalExplicitHashKey(explicitHashKey)) continue;
      const parsed = explicitHashKeyAsKcl(explicitHashKey);
      if (parsed === undefined) {
        return `sub-record ${index} has explicit hash key ${describeValue(explicitHashKey)}, which is not an integer between 0 and 2^128 − 1`;
      }
      if (range === undefined) continue;
      hashKey = parsed;
    } else {
      if (range === undefined) continue;
      partitionKeyHashes ??= new Map();
      let cached = partitionKeyHashes.get(record.partitionKey);
      if (cached === undefined) {
        cached = partitionKeyHash(record.partitionKey);
        partitionKeyHashes.set(record.partitionKey, cached);
      }
      hashKey = cached;
    }
    if (compareHashKeys(hashKey, range.start) < 0 || compareHashKeys(hashKey, range.end) > 0) return index;
  }
  return -1;
}

/**
 * Splits a Kinesis record into its user records the way the KCL does.
 *
 * - A KPL aggregate yields its sub-records in order, with `aggregated: true` and
 *   `subSequenceNumber` 0 … n − 1; `explicitHashKey` only where the aggregate has one for it.
 * - Anything else — shorter than 21 bytes, no magic, MD5 mismatch, a protobuf the Java parser
 *   rejects, an index outside its table — passes through as one record with
 *   `aggregated: false` and `subSequenceNumber: 0` (or throws in `strict` mode).
 * - An aggregate with an explicit hash key that Java's `BigInteger` does not read as an integer
 *   in 0 … 2^128 − 1 (`"-1"`, `"abc"`) is dropped as a whole (returns `[]`), as the KCL does;
 *   with `shardHashRange`, so is an aggregate with any sub-record hashing outside the range.
 *   Strict mode throws instead.
 * - No input makes it throw anything but a {@link CodecError}, and in non-strict mode only an
 *   input of an unrecognised shape or invalid options do.
 *
 * @param record - a raw `{ data, partitionKey }`, an SDK `Record`, a Lambda Kinesis event
 *   record (base64) or a Kinesis Analytics / Firehose preprocessing record (base64)
 * @param options - `strict` and `shardHashRange`
 * @throws {@link CodecError} for an unrecognised input or invalid options; in strict mode
 *   `ERR_NOT_AGGREGATE`, `ERR_CORRUPT_AGGREGATE` or `ERR_HASH_KEY_OUT_OF_RANGE`
 */
export function deaggregate(record: DeaggregateInput, options?: DeaggregateOptions): DeaggregatedRecord[] {
  const { strict, range } = resolveOptions(options);
  const input = normalizeInput(record);
  const bytes = input.bytes;
  if (bytes.length <= AGGREGATE_OVERHEAD || !hasMagic(bytes)) {
    if (strict) {
      throw new CodecError(
        'ERR_NOT_AGGREGATE',
        `record is not a KPL aggregate: it needs the magic F3 89 9A C2 and more than ${AGGREGATE_OVERHEAD} bytes; received ${bytes.length} bytes${bytes.length >= 4 && !hasMagic(bytes) ? ' without the magic' : ''}`,
      );
    }
    return passThrough(input);
  }
  if (!digestMatches(bytes)) {
    if (strict) throw new CodecError('ERR_CORRUPT_AGGREGATE', 'aggregate MD5 trailer does not match its protobuf bytes');
    return passThrough(input);
  }
  const records = readKplLayout(bytes, 4, bytes.length - DIGEST_SIZE, input.sequenceNumber) ?? readGeneral(bytes, input.sequenceNumber, strict);
  if (records === undefined) return passThrough(input);
  const outside = checkHashKeys(records, range);
  if (typeof outside === 'string') {
    if (strict) throw new CodecError('ERR_CORRUPT_AGGREGATE', `aggregate is inconsistent: ${outside}; the KCL drops the whole aggregate`);
    return [];
  }
  if (outside >= 0) {
    if (strict) {
      throw new CodecError(
        'ERR_HASH_KEY_OUT_OF_RANGE',
        `sub-record ${outside} of the aggregate hashes outside the shard range ${options?.shardHashRange?.start} … ${options?.shardHashRange?.end}; the KCL drops the whole aggregate`,
      );
    }
    return [];
  }
  return records;
}

/**
 * The general reader (any field order, unknown fields, tags): the sub-records, or `undefined`
 * when the record must pass through (strict mode throws instead).
 */
function readGeneral(bytes: Buffer, sequenceNumber: string | undefined, strict: boolean): DeaggregatedRecord[] | undefined {
  let parsed: ParsedAggregate;
  try {
    parsed = parseAggregatedRecord(bytes, 4, bytes.length - DIGEST_SIZE);
  } catch (error) {
    if (!(error instanceof ProtobufError)) throw error;
    if (strict) throw new CodecError('ERR_CORRUPT_AGGREGATE', `aggregate protobuf is invalid: ${error.message}`, { cause: error });
    return undefined;
  }
  const problem = indexProblem(parsed);
  if (problem !== undefined) {
    if (strict) throw new CodecError('ERR_CORRUPT_AGGREGATE', `aggregate is inconsistent: ${problem}`);
    return undefined;
  }
  return toRecords(parsed, bytes, sequenceNumber);
}

function toRecords(parsed: ParsedAggregate, bytes: Buffer, sequenceNumber: string | undefined): DeaggregatedRecord[] {
  const count = parsed.partitionKeyIndices.length;
  const records = new Array<DeaggregatedRecord>(count);
  const partitionKeyTable = parsed.partitionKeyTable;
  const explicitHashKeyTable = parsed.explicitHashKeyTable;
  const partitionKeyIndices = parsed.partitionKeyIndices;
  const explicitHashKeyIndices = parsed.explicitHashKeyIndices;
  const dataStarts = parsed.dataStarts;
  const dataEnds = parsed.dataEnds;
  const buffer = bytes.buffer;
  const base = bytes.byteOffset;
  for (let index = 0; index < count; index++) {
    const partitionKey = partitionKeyTable[partitionKeyIndices[index] as number] as string;
    const start = dataStarts[index] as number;
    const data = new Uint8Array(buffer, base + start, (dataEnds[index] as number) - start);
    const explicitHashKeyIndex = explicitHashKeyIndices[index] as number;
    const explicitHashKey = explicitHashKeyIndex < 0 ? undefined : (explicitHashKeyTable[explicitHashKeyIndex] as string);
    records[index] = subRecord(partitionKey, explicitHashKey, data, index, sequenceNumber);
  }
  return records;
}

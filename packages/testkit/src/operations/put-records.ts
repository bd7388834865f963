import { invalidArgument, KinesisServiceError, validationError } from '../errors.js';
import { hashKeyOfPartitionKey, matchesExplicitHashKeyPattern, parseHashKey } from '../model/hash-key.js';
import { StoredRecord } from '../model/stored-record.js';
import type { Stream } from '../model/stream.js';
import { optionalString, requiredString, type JsonObject } from '../protocol/input.js';
import type { OperationContext, OperationHandler } from './context.js';

/** Most entries in one PutRecords request. */
export const MAX_ENTRIES_PER_REQUEST = 500;
/** Absolute cap of one record's data (the API model's, for 10 MiB streams). */
const MAX_DATA_BYTES_MODEL = 10 * 1024 * 1024;

interface PreparedEntry {
  /** The base64 text of the data, as bytes (a view of the request body). */
  base64: Buffer;
  dataSize: number;
  partitionKey: string;
  explicitHashKey: string | undefined;
  hashKey: bigint;
  /** data + partition key, in bytes: what counts against record, request and shard limits. */
  size: number;
}

/** Decoded size of base64 text (standard alphabet, padded), without decoding it. */
function base64DecodedSize(text: Buffer): number {
  const length = text.length;
  if (length === 0) return 0;
  let padding = 0;
  if (text[length - 1] === 61) padding = text[length - 2] === 61 ? 2 : 1;
  return Math.floor((length * 3) / 4) - padding;
}

function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Validates one entry as the service does; `where` is the model path used in messages. */
function prepareEntry(raw: unknown, where: string, stream: Stream): PreparedEntry {
  if (typeof raw !== 'object' || raw === null) throw validationError(`Value at '${where}' must be an object.`);
  const entry = raw as JsonObject;
  const rawData = entry.Data;
  const base64 = typeof rawData === 'string' ? Buffer.from(rawData, 'latin1') : rawData;
  if (!Buffer.isBuffer(base64)) {
    throw validationError(`1 validation error detected: Value null at '${where}.data' failed to satisfy constraint: Member must not be null.`);
  }
  const partitionKey = entry.PartitionKey;
  if (typeof partitionKey !== 'string') {
    throw validationError(`1 validation error detected: Value null at '${where}.partitionKey' failed to satisfy constraint: Member must not be null.`);
  }
  const keyLength = partitionKey.length <= 256 ? partitionKey.length : codePointLength(partitionKey);
  if (keyLength < 1 || keyLength > 256) {
    throw validationError(
      `1 validation error detected: Value '${partitionKey.slice(0, 300)}' at '${where}.partitionKey' failed to satisfy constraint: Member must have length between 1 and 256, received ${keyLength}.`,
    );
  }
  let explicitHashKey: string | undefined;
  let hashKey: bigint;
  const rawExplicit = entry.ExplicitHashKey;
  if (rawExplicit !== undefined && rawExplicit !== null) {
    if (typeof rawExplicit !== 'string' || !matchesExplicitHashKeyPattern(rawExplicit)) {
      throw validationError(
        `1 validation error detected: Value '${String(rawExplicit)}' at '${where}.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}).`,
      );
    }
    const parsed = parseHashKey(rawExplicit);
    if (parsed === undefined) {
      throw invalidArgument(`Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${rawExplicit}.`);
    }
    explicitHashKey = rawExplicit;
    hashKey = parsed;
  } else {
    hashKey = hashKeyOfPartitionKey(partitionKey);
  }
  const dataSize = base64DecodedSize(base64);
  const maxRecordBytes = stream.maxRecordSizeInKiB * 1024;
  if (dataSize > Math.min(maxRecordBytes, MAX_DATA_BYTES_MODEL)) {
    throw validationError(
      `1 validation error detected: Value at '${where}.data' failed to satisfy constraint: Member must have length less than or equal to ${maxRecordBytes}, received ${dataSize}.`,
    );
  }
  const size = dataSize + (partitionKey.length <= 256 && isAscii(partitionKey) ? partitionKey.length : Buffer.byteLength(partitionKey, 'utf8'));
  if (size > maxRecordBytes) {
    throw invalidArgument(
      `Record size (data + partition key) of ${size} bytes at '${where}' exceeds the maximum record size of ${maxRecordBytes} bytes (${stream.maxRecordSizeInKiB} KiB) of stream ${stream.name}.`,
    );
  }
  return { base64, dataSize, partitionKey, explicitHashKey, hashKey, size };
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 127) return false;
  return true;
}

type EntryOutcome = { ok: true; shardId: string; sequenceNumber: string } | { ok: false; shardId: string; errorCode: string; errorMessage: string };

/** Routes, applies entry faults and shard limits, and stores one validated entry. */
function writeEntry(stream: Stream, entry: PreparedEntry, operation: string, context: OperationContext, nowMs: number, limited: boolean): EntryOutcome {
  const shard = stream.route(entry.hashKey);
  const fault = context.faults.hasEntryRules ? context.faults.forEntry(operation, stream.name, shard.shardId) : undefined;
  if (fault !== undefined) {
    const throttling = fault.errorCode === 'ProvisionedThroughputExceededException';
    if (throttling) shard.counts.throttled++;
    else shard.counts.failed++;
    const errorMessage = fault.message ?? (throttling ? throttleMessage(stream, shard.shardId, context) : fault.errorCode === 'InternalFailure' ? 'Internal service failure.' : `Injected ${fault.errorCode}.`);
    return { ok: false, shardId: shard.shardId, errorCode: fault.errorCode, errorMessage };
  }
  if (limited && !shard.limiter.tryTake(entry.size, nowMs)) {
    shard.counts.throttled++;
    return { ok: false, shardId: shard.shardId, errorCode: 'ProvisionedThroughputExceededException', errorMessage: throttleMessage(stream, shard.shardId, context) };
  }
  const counter = stream.nextCounter++;
  const sequenceNumber = stream.sequenceNumber(counter, shard);
  if (context.config.retainRecords) {
    shard.records.push(
      new StoredRecord(
        stream.name,
        shard.shardId,
        sequenceNumber,
        counter,
        entry.partitionKey,
        entry.explicitHashKey,
        entry.hashKey,
        entry.dataSize,
        context.config.retainRecordData ? entry.base64 : undefined,
        nowMs,
        context.responseLost,
        context.requestId,
      ),
    );
  }
  shard.counts.accepted++;
  shard.counts.acceptedBytes += entry.size;
  return { ok: true, shardId: shard.shardId, sequenceNumber };
}

function throttleMessage(stream: Stream, shardId: string, context: OperationContext): string {
  return `Rate exceeded for shard ${shardId} in stream ${stream.name} under account ${context.config.accountId}.`;
}

/**
 * PutRecords: ≤ 500 entries, ≤ `maxRequestBytes` (data + partition keys), each record within the
 * stream's max record size — otherwise the whole request fails. Then each entry is routed by MD5 or
 * explicit hash key and answered on its own: stored, or refused with an ErrorCode (shard limits,
 * injected faults) counted in FailedRecordCount.
 */
export const putRecords: OperationHandler = (input, context) => {
  const stream = context.registry.resolve(input.StreamName, input.StreamARN);
  const records = input.Records;
  if (!Array.isArray(records)) {
    throw validationError(`1 validation error detected: Value null at 'records' failed to satisfy constraint: Member must not be null.`);
  }
  if (records.length < 1 || records.length > MAX_ENTRIES_PER_REQUEST) {
    throw validationError(
      `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES_PER_REQUEST}, received ${records.length}.`,
    );
  }
  const prepared = new Array<PreparedEntry>(records.length);
  let total = 0;
  for (let index = 0; index < records.length; index++) {
    const entry = prepareEntry(records[index], `records.${index + 1}.member`, stream);
    prepared[index] = entry;
    total += entry.size;
  }
  if (total > context.config.maxRequestBytes) {
    throw invalidArgument(`Records size exceeds ${context.config.maxRequestBytes} bytes limit: the request holds ${total} bytes of data and partition keys.`);
  }
  const nowMs = context.config.clock.now();
  const limited = context.limitsEnforced(stream);
  const results = new Array<Record<string, string>>(prepared.length);
  let failed = 0;
  for (let index = 0; index < prepared.length; index++) {
    const outcome = writeEntry(stream, prepared[index]!, 'PutRecords', context, nowMs, limited);
    if (outcome.ok) {
      results[index] = { SequenceNumber: outcome.sequenceNumber, ShardId: outcome.shardId };
    } else {
      failed++;
      results[index] = { ErrorCode: outcome.errorCode, ErrorMessage: outcome.errorMessage };
    }
  }
  return { FailedRecordCount: failed, Records: results, EncryptionType: 'NONE' };
};

/** PutRecord: one record; a throttled or failed entry becomes the request's error. */
export const putRecord: OperationHandler = (input, context) => {
  const stream = context.registry.resolve(input.StreamName, input.StreamARN);
  requiredString(input, 'PartitionKey', 0);
  optionalString(input, 'SequenceNumberForOrdering');
  const entry = prepareEntry(input, 'record', stream);
  const outcome = writeEntry(stream, entry, 'PutRecord', context, context.config.clock.now(), context.limitsEnforced(stream));
  if (!outcome.ok) {
    const status = outcome.errorCode.startsWith('InternalFailure') ? 500 : 400;
    throw new KinesisServiceError(outcome.errorCode, outcome.errorMessage, status);
  }
  return { ShardId: outcome.shardId, SequenceNumber: outcome.sequenceNumber, EncryptionType: 'NONE' };
};

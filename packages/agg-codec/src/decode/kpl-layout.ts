/**
 * Single-pass reader for aggregates laid out exactly as the KPL writes them: both key tables
 * first, then records of the form `1A len 08 index [10 index] 1A len data` with every index inside
 * its table. Such bytes are a strict subset of what the Java proto2 parser accepts and mean the
 * same thing to it, so the result equals the general reader's. Anything else (unknown fields,
 * other field orders, tags, out-of-range indices, truncation) makes it return `undefined`, and the
 * caller falls back to the general reader, which decides validity and reports problems.
 */
import { decodeStrings } from './protobuf-reader.js';
import { subRecord } from './sub-record.js';
import type { DeaggregatedRecord } from './types.js';

/** Position after the varint last read by {@link varint32}. */
let varintEnd = 0;

/** Varint of at most 5 bytes at `position`, below `limit`; -1 when longer or truncated. */
function varint32(bytes: Buffer, position: number, limit: number): number {
  let value = 0;
  let multiplier = 1;
  for (let count = 0; count < 5 && position < limit; count++) {
    const byte = bytes[position++] as number;
    value += (byte & 0x7f) * multiplier;
    if (byte < 0x80) {
      varintEnd = position;
      return value;
    }
    multiplier *= 0x80;
  }
  return -1;
}

/**
 * The sub-records of the `AggregatedRecord` at `bytes[start … end)` when it has the KPL's own
 * layout, or `undefined` when the general reader must decide.
 * @internal
 */
export function readKplLayout(bytes: Buffer, start: number, end: number, sequenceNumber: string | undefined): DeaggregatedRecord[] | undefined {
  const partitionKeyStarts: number[] = [];
  const partitionKeyEnds: number[] = [];
  const explicitHashKeyStarts: number[] = [];
  const explicitHashKeyEnds: number[] = [];
  let position = start;
  while (position < end) {
    const tag = bytes[position] as number;
    if (tag !== 0x0a && tag !== 0x12) break;
    const length = varint32(bytes, position + 1, end);
    if (length < 0) return undefined;
    const keyStart = varintEnd;
    position = keyStart + length;
    if (position > end) return undefined;
    if (tag === 0x0a) {
      partitionKeyStarts.push(keyStart);
      partitionKeyEnds.push(position);
    } else {
      explicitHashKeyStarts.push(keyStart);
      explicitHashKeyEnds.push(position);
    }
  }
  const partitionKeys = decodeStrings(bytes, partitionKeyStarts, partitionKeyEnds);
  const explicitHashKeys = decodeStrings(bytes, explicitHashKeyStarts, explicitHashKeyEnds);
  const partitionKeyCount = partitionKeys.length;
  const explicitHashKeyCount = explicitHashKeys.length;
  const buffer = bytes.buffer;
  const base = bytes.byteOffset;
  const records: DeaggregatedRecord[] = [];
  while (position < end) {
    if (bytes[position] !== 0x1a) return undefined;
    const recordLength = varint32(bytes, position + 1, end);
    if (recordLength < 0) return undefined;
    position = varintEnd;
    const recordEnd = position + recordLength;
    if (recordEnd > end || bytes[position] !== 0x08 || position >= recordEnd) return undefined;
    const partitionKeyIndex = varint32(bytes, position + 1, recordEnd);
    if (partitionKeyIndex < 0 || partitionKeyIndex >= partitionKeyCount) return undefined;
    position = varintEnd;
    let explicitHashKey: string | undefined;
    if (position < recordEnd && bytes[position] === 0x10) {
      const explicitHashKeyIndex = varint32(bytes, position + 1, recordEnd);
      if (explicitHashKeyIndex < 0 || explicitHashKeyIndex >= explicitHashKeyCount) return undefined;
      explicitHashKey = explicitHashKeys[explicitHashKeyIndex] as string;
      position = varintEnd;
    }
    if (position >= recordEnd || bytes[position] !== 0x1a) return undefined;
    const dataLength = varint32(bytes, position + 1, recordEnd);
    if (dataLength < 0) return undefined;
    position = varintEnd;
    // The data must end the record exactly: anything after it (a tag, an unknown field) is left to the general reader.
    if (position + dataLength !== recordEnd) return undefined;
    const data = new Uint8Array(buffer, base + position, dataLength);
    records.push(subRecord(partitionKeys[partitionKeyIndex] as string, explicitHashKey, data, records.length, sequenceNumber));
    position = recordEnd;
  }
  return records;
}

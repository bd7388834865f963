/**
 * Hand-written reader for the `AggregatedRecord` protobuf (proto2). It follows what the Java
 * parser the KCL uses accepts: dispatch on the whole tag (a known field with another wire type
 * is an unknown field and is skipped), unknown fields and groups skipped, required fields
 * enforced; truncation, malformed varints, field number 0, stray or mismatched end-group tags and
 * nesting deeper than protobuf-java's limit of 100 rejected. Recursion is bounded by that limit,
 * so no input can exhaust the stack.
 */
import { isAscii } from 'node:buffer';
import { CodecError } from '../errors.js';
import { decodeLatin1, decodeUtf8 } from './buffer-strings.js';
import { decodeUtf8AsJava } from './java-utf8.js';

/**
 * Thrown inside the codec for any protobuf the Java parser would reject; a user sees it only as
 * the `cause` of a strict decode's `ERR_CORRUPT_AGGREGATE`. @internal
 */
export class ProtobufError extends CodecError {
  constructor(message: string) {
    super('ERR_CORRUPT_AGGREGATE', message);
    this.name = 'ProtobufError';
  }
}

/** The parsed message: key tables and, per record, its indices and the bounds of its data. @internal */
export interface ParsedAggregate {
  partitionKeyTable: string[];
  explicitHashKeyTable: string[];
  /** Per record: partition key index. */
  partitionKeyIndices: number[];
  /** Per record: explicit hash key index, or -1 when the record has none. */
  explicitHashKeyIndices: number[];
  /** Per record: start offset of its data in the buffer. */
  dataStarts: number[];
  /** Per record: end offset (exclusive) of its data in the buffer. */
  dataEnds: number[];
}

/**
 * Decodes the strings at `bytes[starts[i] … ends[i])`. A KPL key table is one contiguous run of
 * short ASCII keys with one-byte tags and lengths between them; when the whole span from the
 * first key to the last is ASCII, it is read as one string and each key is a substring of it
 * (one native call per table instead of one per key). Anything else is decoded key by key; a key
 * that is not well-formed UTF-8 is decoded as the KCL's Java decoder does (see `java-utf8.ts`).
 * @internal
 */
export function decodeStrings(bytes: Buffer, starts: number[], ends: number[]): string[] {
  const count = starts.length;
  const strings = new Array<string>(count);
  if (count === 0) return strings;
  let low = starts[0] as number;
  let high = ends[count - 1] as number;
  for (let index = 0; index < count; index++) {
    if ((starts[index] as number) < low) low = starts[index] as number;
    if ((ends[index] as number) > high) high = ends[index] as number;
  }
  let keyBytes = 0;
  for (let index = 0; index < count; index++) keyBytes += (ends[index] as number) - (starts[index] as number);
  // Only when the keys fill most of the span (so no large unrelated bytes are scanned or kept
  // alive by the substrings).
  if (count > 1 && keyBytes * 2 >= high - low && isAscii(bytes.subarray(low, high))) {
    const span = decodeLatin1(bytes, low, high);
    for (let index = 0; index < count; index++) strings[index] = span.slice((starts[index] as number) - low, (ends[index] as number) - low);
    return strings;
  }
  for (let index = 0; index < count; index++) {
    const start = starts[index] as number;
    const end = ends[index] as number;
    const text = decodeUtf8(bytes, start, end);
    // U+FFFD in Node's result: malformed bytes (or a genuine U+FFFD, which Java decodes alike).
    strings[index] = text.includes('\uFFFD') ? decodeUtf8AsJava(bytes, start, end) : text;
  }
  return strings;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

/**
 * protobuf-java's recursion limit: the top-level message is at depth 0, every nested message or
 * group one deeper, and nothing may be deeper than 100 (so at most 100 nested groups at the top
 * level, 99 inside a Record, 98 inside a Tag).
 */
export const MAX_NESTING_DEPTH = 100;

/** Cursor over `bytes[position … end)`. */
class Reader {
  constructor(
    readonly bytes: Buffer,
    public position: number,
    /** End of the message being read; narrowed while a nested message is read. */
    public end: number,
  ) {}

  /** Reads a varint of at most 10 bytes; values above 2^53 lose precision (only ever out of bounds). */
  varint(): number {
    const bytes = this.bytes;
    let position = this.position;
    let byte = position < this.end ? (bytes[position++] as number) : this.truncated();
    if (byte < 0x80) {
      this.position = position;
      return byte;
    }
    let value = byte & 0x7f;
    let multiplier = 0x80;
    for (let count = 1; count < 10; count++) {
      byte = position < this.end ? (bytes[position++] as number) : this.truncated();
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        this.position = position;
        return value;
      }
      multiplier *= 0x80;
    }
    throw new ProtobufError('malformed varint (more than 10 bytes)');
  }

  /** Reads a length prefix and returns the end offset of the field it announces. */
  lengthDelimitedEnd(): number {
    const length = this.varint();
    const end = this.position + length;
    if (end > this.end) throw new ProtobufError('length-delimited field runs past the end of its message');
    return end;
  }

  /** Reads a tag; field number 0 is invalid (as is a tag that does not fit 32 bits). */
  tag(): number {
    const tag = this.varint();
    if (tag < 8 || tag > 0xffffffff) throw new ProtobufError(`invalid tag ${tag} (field number ${Math.floor(tag / 8)})`);
    return tag;
  }

  /** Skips the value of an unknown field of a message at nesting `depth`. */
  skip(tag: number, depth: number): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LENGTH_DELIMITED:
        this.position = this.lengthDelimitedEnd();
        return;
      case WIRE_START_GROUP:
        if (depth >= MAX_NESTING_DEPTH) throw new ProtobufError(`groups nested deeper than protobuf's limit of ${MAX_NESTING_DEPTH} levels`);
        this.skipGroup(tag >>> 3, depth + 1);
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        // An end-group tag outside a group, or wire types 6 and 7.
        throw new ProtobufError(`unexpected wire type ${tag & 7}`);
    }
  }

  /** Skips the fields of a group (itself at `depth`) up to its end-group tag. Recursion is bounded by {@link MAX_NESTING_DEPTH}. */
  private skipGroup(fieldNumber: number, depth: number): void {
    for (;;) {
      if (this.position >= this.end) this.truncated();
      const tag = this.tag();
      if ((tag & 7) === WIRE_END_GROUP) {
        if (tag >>> 3 !== fieldNumber) throw new ProtobufError('mismatched end-group tag');
        return;
      }
      this.skip(tag, depth);
    }
  }

  private advance(count: number): void {
    if (this.position + count > this.end) this.truncated();
    this.position += count;
  }

  private truncated(): never {
    throw new ProtobufError('message truncated');
  }
}

/**
 * Parses `bytes[start … end)` as an `AggregatedRecord`.
 * @throws ProtobufError when the Java proto2 parser would reject the bytes
 * @internal
 */
export function parseAggregatedRecord(bytes: Buffer, start: number, end: number): ParsedAggregate {
  const partitionKeyStarts: number[] = [];
  const partitionKeyEnds: number[] = [];
  const explicitHashKeyStarts: number[] = [];
  const explicitHashKeyEnds: number[] = [];
  const parsed: ParsedAggregate = {
    partitionKeyTable: [],
    explicitHashKeyTable: [],
    partitionKeyIndices: [],
    explicitHashKeyIndices: [],
    dataStarts: [],
    dataEnds: [],
  };
  // One reader for the whole message: nested messages narrow its end instead of allocating.
  const reader = new Reader(bytes, start, end);
  while (reader.position < end) {
    const tag = reader.tag();
    if (tag === 0x1a) {
      const recordEnd = reader.lengthDelimitedEnd();
      reader.end = recordEnd;
      readRecord(reader, parsed);
      reader.end = end;
    } else if (tag === 0x0a) {
      const stringEnd = reader.lengthDelimitedEnd();
      partitionKeyStarts.push(reader.position);
      partitionKeyEnds.push(stringEnd);
      reader.position = stringEnd;
    } else if (tag === 0x12) {
      const stringEnd = reader.lengthDelimitedEnd();
      explicitHashKeyStarts.push(reader.position);
      explicitHashKeyEnds.push(stringEnd);
      reader.position = stringEnd;
    } else {
      reader.skip(tag, 0);
    }
  }
  parsed.partitionKeyTable = decodeStrings(bytes, partitionKeyStarts, partitionKeyEnds);
  parsed.explicitHashKeyTable = decodeStrings(bytes, explicitHashKeyStarts, explicitHashKeyEnds);
  return parsed;
}

/** Reads one `Record` message (depth 1) from `reader.position` to `reader.end`. */
function readRecord(reader: Reader, parsed: ParsedAggregate): void {
  const end = reader.end;
  let partitionKeyIndex = -1;
  let explicitHashKeyIndex = -1;
  let dataStart = -1;
  let dataEnd = -1;
  while (reader.position < end) {
    const tag = reader.tag();
    switch (tag) {
      case 0x08:
        partitionKeyIndex = reader.varint();
        break;
      case 0x10:
        explicitHashKeyIndex = reader.varint();
        break;
      case 0x1a:
        dataEnd = reader.lengthDelimitedEnd();
        dataStart = reader.position;
        reader.position = dataEnd;
        break;
      case 0x22: {
        const tagEnd = reader.lengthDelimitedEnd();
        reader.end = tagEnd;
        checkTag(reader);
        reader.end = end;
        break;
      }
      default:
        reader.skip(tag, 1);
    }
  }
  if (partitionKeyIndex < 0 || dataStart < 0) {
    throw new ProtobufError('Record is missing a required field (partition_key_index or data)');
  }
  parsed.partitionKeyIndices.push(partitionKeyIndex);
  parsed.explicitHashKeyIndices.push(explicitHashKeyIndex);
  parsed.dataStarts.push(dataStart);
  parsed.dataEnds.push(dataEnd);
}

/** A `Tag` message (depth 2, from `reader.position` to `reader.end`) must parse and carry its required `key`. The KPL never writes tags. */
function checkTag(reader: Reader): void {
  let hasKey = false;
  while (reader.position < reader.end) {
    const tag = reader.tag();
    if (tag === 0x0a) {
      reader.position = reader.lengthDelimitedEnd();
      hasKey = true;
    } else {
      reader.skip(tag, 2);
    }
  }
  if (!hasKey) throw new ProtobufError('Tag is missing its required key');
}

/**
 * Hand-written reader for the `AggregatedRecord` protobuf (proto2). It follows what the Java
 * parser the KCL uses accepts: dispatch on the whole tag (a known field with another wire type
 * is an unknown field and is skipped), unknown fields and groups skipped, required fields
 * enforced, truncation and malformed varints rejected.
 */

/** Thrown inside the codec for any protobuf the Java parser would reject. @internal */
export class ProtobufError extends Error {
  override name = 'ProtobufError';
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

type Utf8Slice = (this: Buffer, start: number, end: number) => string;
// Buffer#utf8Slice skips toString's argument handling; same result (invalid bytes → U+FFFD).
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice;
const decodeUtf8 =
  typeof utf8Slice === 'function'
    ? (bytes: Buffer, start: number, end: number): string => utf8Slice.call(bytes, start, end)
    : (bytes: Buffer, start: number, end: number): string => bytes.toString('utf8', start, end);

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

/** Cursor over `bytes[position … end)`. */
class Reader {
  constructor(
    readonly bytes: Buffer,
    public position: number,
    readonly end: number,
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

  tag(): number {
    const tag = this.varint();
    if (tag === 0 || tag > 0xffffffff) throw new ProtobufError(`invalid tag ${tag}`);
    return tag;
  }

  /** Skips the value of an unknown field. */
  skip(tag: number): void {
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
        this.skipGroup(tag >>> 3);
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        // An end-group tag outside a group, or wire types 6 and 7.
        throw new ProtobufError(`unexpected wire type ${tag & 7}`);
    }
  }

  private skipGroup(fieldNumber: number): void {
    for (;;) {
      if (this.position >= this.end) this.truncated();
      const tag = this.tag();
      if ((tag & 7) === WIRE_END_GROUP) {
        if (tag >>> 3 !== fieldNumber) throw new ProtobufError('mismatched end-group tag');
        return;
      }
      this.skip(tag);
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
  const parsed: ParsedAggregate = {
    partitionKeyTable: [],
    explicitHashKeyTable: [],
    partitionKeyIndices: [],
    explicitHashKeyIndices: [],
    dataStarts: [],
    dataEnds: [],
  };
  const reader = new Reader(bytes, start, end);
  while (reader.position < end) {
    const tag = reader.tag();
    if (tag === 0x0a || tag === 0x12) {
      const stringEnd = reader.lengthDelimitedEnd();
      const value = decodeUtf8(bytes, reader.position, stringEnd);
      (tag === 0x0a ? parsed.partitionKeyTable : parsed.explicitHashKeyTable).push(value);
      reader.position = stringEnd;
    } else if (tag === 0x1a) {
      const recordEnd = reader.lengthDelimitedEnd();
      readRecord(reader, recordEnd, parsed);
      reader.position = recordEnd;
    } else {
      reader.skip(tag);
    }
  }
  return parsed;
}

function readRecord(reader: Reader, end: number, parsed: ParsedAggregate): void {
  const record = new Reader(reader.bytes, reader.position, end);
  let partitionKeyIndex = -1;
  let explicitHashKeyIndex = -1;
  let dataStart = -1;
  let dataEnd = -1;
  while (record.position < end) {
    const tag = record.tag();
    switch (tag) {
      case 0x08:
        partitionKeyIndex = record.varint();
        break;
      case 0x10:
        explicitHashKeyIndex = record.varint();
        break;
      case 0x1a:
        dataEnd = record.lengthDelimitedEnd();
        dataStart = record.position;
        record.position = dataEnd;
        break;
      case 0x22: {
        const tagEnd = record.lengthDelimitedEnd();
        checkTag(new Reader(record.bytes, record.position, tagEnd));
        record.position = tagEnd;
        break;
      }
      default:
        record.skip(tag);
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

/** A `Tag` message must parse and carry its required `key`. The KPL never writes tags. */
function checkTag(reader: Reader): void {
  let hasKey = false;
  while (reader.position < reader.end) {
    const tag = reader.tag();
    if (tag === 0x0a) {
      reader.position = reader.lengthDelimitedEnd();
      hasKey = true;
    } else {
      reader.skip(tag);
    }
  }
  if (!hasKey) throw new ProtobufError('Tag is missing its required key');
}

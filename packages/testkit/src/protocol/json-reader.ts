/**
 * A JSON reader over the request body's bytes. It returns what `JSON.parse` returns, except that the
 * string values of the keys in `blobKeys` (the base64 `Data` of records) come back as zero-copy
 * `Buffer` views of the body holding the base64 text: a 5 MiB PutRecords body is never turned into
 * one large string, and record data is neither copied nor decoded on the write path.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NUMBER_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

class JsonReader {
  private position = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly blobKeys: ReadonlySet<string>,
  ) {}

  readDocument(): unknown {
    const value = this.readValue(false);
    this.skipWhitespace();
    if (this.position !== this.bytes.length) this.fail('unexpected data after the JSON value');
    return value;
  }

  private fail(what: string): never {
    throw new SyntaxError(`Invalid JSON at byte ${this.position}: ${what}`);
  }

  private skipWhitespace(): void {
    const bytes = this.bytes;
    let position = this.position;
    for (;;) {
      const byte = bytes[position];
      if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) position++;
      else break;
    }
    this.position = position;
  }

  private readValue(blob: boolean): unknown {
    this.skipWhitespace();
    const byte = this.bytes[this.position];
    switch (byte) {
      case 0x7b:
        return this.readObject();
      case 0x5b:
        return this.readArray();
      case QUOTE:
        return this.readString(blob);
      case 0x74:
        return this.readLiteral('true', true);
      case 0x66:
        return this.readLiteral('false', false);
      case 0x6e:
        return this.readLiteral('null', null);
      case undefined:
        return this.fail('unexpected end of input');
      default:
        if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) return this.readNumber();
        return this.fail(`unexpected character ${JSON.stringify(String.fromCharCode(byte))}`);
    }
  }

  private readObject(): Record<string, unknown> {
    this.position++;
    const result: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.bytes[this.position] === 0x7d) {
      this.position++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.bytes[this.position] !== QUOTE) this.fail('expected a property name');
      const key = this.readString(false) as string;
      this.skipWhitespace();
      if (this.bytes[this.position] !== 0x3a) this.fail('expected ":"');
      this.position++;
      const value = this.readValue(this.blobKeys.has(key));
      if (key === '__proto__') Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      else result[key] = value;
      this.skipWhitespace();
      const next = this.bytes[this.position++];
      if (next === 0x2c) continue;
      if (next === 0x7d) return result;
      this.position--;
      this.fail('expected "," or "}"');
    }
  }

  private readArray(): unknown[] {
    this.position++;
    const result: unknown[] = [];
    this.skipWhitespace();
    if (this.bytes[this.position] === 0x5d) {
      this.position++;
      return result;
    }
    for (;;) {
      result.push(this.readValue(false));
      this.skipWhitespace();
      const next = this.bytes[this.position++];
      if (next === 0x2c) continue;
      if (next === 0x5d) return result;
      this.position--;
      this.fail('expected "," or "]"');
    }
  }

  private readString(blob: boolean): string | Buffer {
    const bytes = this.bytes;
    const start = this.position + 1;
    const end = bytes.indexOf(QUOTE, start);
    if (end < 0) this.fail('unterminated string');
    let escaped = false;
    let control = false;
    if (end - start <= 64) {
      for (let index = start; index < end; index++) {
        const byte = bytes[index]!;
        if (byte === BACKSLASH) escaped = true;
        else if (byte < 0x20) control = true;
      }
    } else {
      escaped = bytes.subarray(start, end).indexOf(BACKSLASH) >= 0;
    }
    if (control) this.fail('control character in string');
    if (!escaped) {
      this.position = end + 1;
      return blob ? bytes.subarray(start, end) : bytes.toString('utf8', start, end);
    }
    // Slow path: find the real closing quote, then let JSON.parse handle the escapes.
    let index = start;
    while (index < bytes.length && bytes[index] !== QUOTE) index += bytes[index] === BACKSLASH ? 2 : 1;
    if (index >= bytes.length) this.fail('unterminated string');
    const text = JSON.parse(bytes.toString('utf8', this.position, index + 1)) as string;
    this.position = index + 1;
    return blob ? Buffer.from(text, 'latin1') : text;
  }

  private readNumber(): number {
    const bytes = this.bytes;
    const start = this.position;
    let index = start;
    for (;;) {
      const byte = bytes[index];
      if (byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2b || byte === 0x2e || byte === 0x65 || byte === 0x45)) index++;
      else break;
    }
    const text = bytes.toString('latin1', start, index);
    if (!NUMBER_PATTERN.test(text)) this.fail(`invalid number ${text}`);
    this.position = index;
    return Number(text);
  }

  private readLiteral<T>(word: string, value: T): T {
    for (let index = 0; index < word.length; index++) {
      if (this.bytes[this.position + index] !== word.charCodeAt(index)) this.fail(`expected ${word}`);
    }
    this.position += word.length;
    return value;
  }
}

/** Parses a JSON document from bytes; string values of `blobKeys` come back as Buffer views of `bytes`. */
export function readJson(bytes: Buffer, blobKeys: ReadonlySet<string>): unknown {
  return new JsonReader(bytes, blobKeys).readDocument();
}

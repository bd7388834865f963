/**
 * The worker's end of the ring: decodes frames in order and releases their space. Record data is
 * lent as a view of the ring, valid until {@link RingReader.release} (the caller then reuses the
 * space); strings are decoded from UTF-8.
 */
import { Control, FLAG_EXPLICIT_HASH_KEY, FLAG_STREAM_ARN, FRAME_HEADER_BYTES, RECORD_HEADER_BYTES } from './layout.js';
import type { SyncPutRecordInput } from './record-input.js';

/** One decoded frame. `input` is set for inline records; its `data` is valid until `release()`. */
export interface Frame {
  readonly kind: number;
  readonly id: number;
  readonly input: SyncPutRecordInput | undefined;
}

/** Reads frames from the ring. Not thread-safe: one reader, the worker's thread. */
export class RingReader {
  readonly #control: Int32Array;
  readonly #bytes: Buffer;
  readonly #view: Uint8Array;
  readonly #capacity: number;
  #position = 0;
  #offset = 0;

  constructor(control: Int32Array, ring: SharedArrayBuffer, byteOffset: number, capacity: number) {
    this.#control = control;
    this.#bytes = Buffer.from(ring, byteOffset, capacity);
    this.#view = new Uint8Array(ring, byteOffset, capacity);
    this.#capacity = capacity;
  }

  /** True when the caller has published frames not read yet. */
  hasFrames(): boolean {
    return (Atomics.load(this.#control, Control.writePosition) >>> 0) !== this.#position;
  }

  /** The published write position, for parking with `Atomics.waitAsync`. */
  writePosition(): number {
    return Atomics.load(this.#control, Control.writePosition);
  }

  /** Decodes the next frame and releases its space, or returns undefined when the ring is empty. */
  next(): Frame | undefined {
    if (!this.hasFrames()) return undefined;
    const bytes = this.#bytes;
    let length = bytes.readUInt32LE(this.#offset);
    if (length === 0) {
      this.#advance(this.#capacity - this.#offset);
      length = bytes.readUInt32LE(0);
    }
    const start = this.#offset;
    const kind = bytes[start + 4] ?? 0;
    const flags = bytes[start + 5] ?? 0;
    const id = bytes.readDoubleLE(start + 8);
    let input: SyncPutRecordInput | undefined;
    if (length > FRAME_HEADER_BYTES) input = this.#decodeRecord(start, flags);
    this.#advance(length);
    return { kind, id, input };
  }

  /** Publishes the read position so the caller sees the freed space. */
  release(): void {
    Atomics.store(this.#control, Control.readPosition, this.#position | 0);
  }

  #decodeRecord(start: number, flags: number): SyncPutRecordInput {
    const bytes = this.#bytes;
    const header = start + FRAME_HEADER_BYTES;
    const streamBytes = bytes.readUInt32LE(header);
    const partitionKeyBytes = bytes.readUInt32LE(header + 4);
    const explicitHashKeyBytes = bytes.readUInt32LE(header + 8);
    const dataBytes = bytes.readUInt32LE(header + 12);
    let cursor = header + RECORD_HEADER_BYTES;
    const stream = bytes.toString('utf8', cursor, cursor + streamBytes);
    cursor += streamBytes;
    const partitionKey = bytes.toString('utf8', cursor, cursor + partitionKeyBytes);
    cursor += partitionKeyBytes;
    let explicitHashKey: string | undefined;
    if ((flags & FLAG_EXPLICIT_HASH_KEY) !== 0) {
      explicitHashKey = bytes.toString('utf8', cursor, cursor + explicitHashKeyBytes);
      cursor += explicitHashKeyBytes;
    }
    // A view into the ring, not a copy: the producer copies the bytes inside putRecord (copying on
    // admission, packages/producer/src/producer/byte-slab.ts), and the pump releases this frame
    // only after putRecord returned (worker/pump.ts).
    const data = this.#view.subarray(cursor, cursor + dataBytes);
    const isArn = (flags & FLAG_STREAM_ARN) !== 0;
    return isArn
      ? { streamARN: stream, partitionKey, data, explicitHashKey }
      : { streamName: stream, partitionKey, data, explicitHashKey };
  }

  #advance(length: number): void {
    this.#position = (this.#position + length) >>> 0;
    this.#offset += length;
    if (this.#offset >= this.#capacity) this.#offset = 0;
  }
}

/**
 * The caller's end of the ring: frames records and commands into shared memory. Only the caller
 * writes `writePosition`; only the worker writes `readPosition`. A frame never wraps: when it does
 * not fit before the end, a 0 length word marks the rest of the ring as skipped.
 */
import {
  align4,
  Control,
  FLAG_EXPLICIT_HASH_KEY,
  FLAG_STREAM_ARN,
  FRAME_HEADER_BYTES,
  FrameKind,
  RECORD_HEADER_BYTES,
} from './layout.js';
import type { SyncPutRecordInput } from './record-input.js';

/** Result of a write attempt: written, or not enough free space yet. */
export type WriteStatus = 'written' | 'full';

/** Writes frames into the ring. Not thread-safe: one writer, the caller's thread. */
export class RingWriter {
  readonly #control: Int32Array;
  readonly #bytes: Buffer;
  readonly #capacity: number;
  /** Local mirror of `writePosition` (uint32). */
  #position = 0;
  /** Offset of the next frame in the ring. */
  #offset = 0;

  constructor(control: Int32Array, ring: SharedArrayBuffer, byteOffset: number, capacity: number) {
    this.#control = control;
    this.#bytes = Buffer.from(ring, byteOffset, capacity);
    this.#capacity = capacity;
  }

  /** Largest frame the ring can carry inline; larger records go through the port. */
  get maxInlineFrameBytes(): number {
    return this.#capacity >>> 2;
  }

  /** Upper bound of a record's frame size, before its strings are encoded. */
  static recordFrameBound(input: SyncPutRecordInput, stream: string): number {
    const strings = stream.length + input.partitionKey.length + (input.explicitHashKey?.length ?? 0);
    return FRAME_HEADER_BYTES + RECORD_HEADER_BYTES + 3 * strings + input.data.length + 3;
  }

  /** Bytes the worker has not consumed yet. */
  usedBytes(): number {
    return (this.#position - (Atomics.load(this.#control, Control.readPosition) >>> 0)) >>> 0;
  }

  /** Frames a record inline; `bound` is {@link RingWriter.recordFrameBound}. */
  writeRecord(id: number, input: SyncPutRecordInput, stream: string, isArn: boolean, bound: number): WriteStatus {
    const start = this.#reserve(bound);
    if (start < 0) return 'full';
    const bytes = this.#bytes;
    let cursor = start + FRAME_HEADER_BYTES + RECORD_HEADER_BYTES;
    const streamBytes = bytes.write(stream, cursor, 'utf8');
    cursor += streamBytes;
    const partitionKeyBytes = bytes.write(input.partitionKey, cursor, 'utf8');
    cursor += partitionKeyBytes;
    let flags = isArn ? FLAG_STREAM_ARN : 0;
    let explicitHashKeyBytes = 0;
    if (input.explicitHashKey !== undefined) {
      flags |= FLAG_EXPLICIT_HASH_KEY;
      explicitHashKeyBytes = bytes.write(input.explicitHashKey, cursor, 'utf8');
      cursor += explicitHashKeyBytes;
    }
    bytes.set(input.data, cursor);
    cursor += input.data.length;
    const length = align4(cursor - start);
    this.#writeHeader(start, length, FrameKind.record, flags, id);
    const recordHeader = start + FRAME_HEADER_BYTES;
    bytes.writeUInt32LE(streamBytes, recordHeader);
    bytes.writeUInt32LE(partitionKeyBytes, recordHeader + 4);
    bytes.writeUInt32LE(explicitHashKeyBytes, recordHeader + 8);
    bytes.writeUInt32LE(input.data.length, recordHeader + 12);
    this.#commit(start, length);
    return 'written';
  }

  /** Frames a header-only frame: a command, or a record whose body was posted to the port. */
  writeBare(kind: number, id: number): WriteStatus {
    const start = this.#reserve(FRAME_HEADER_BYTES);
    if (start < 0) return 'full';
    this.#writeHeader(start, FRAME_HEADER_BYTES, kind, 0, id);
    this.#commit(start, FRAME_HEADER_BYTES);
    return 'written';
  }

  /**
   * Makes the written frames visible to the worker and wakes it when it sleeps. Returns after a
   * single store (and a notify only when the worker is parked).
   */
  publish(): void {
    Atomics.store(this.#control, Control.writePosition, this.#position | 0);
    if (Atomics.load(this.#control, Control.workerSleeping) === 1) Atomics.notify(this.#control, Control.writePosition);
  }

  /** Returns the frame's start offset, or -1 when the free space is not enough yet. */
  #reserve(bound: number): number {
    const free = this.#capacity - this.usedBytes();
    const tail = this.#capacity - this.#offset;
    if (bound <= tail) return bound <= free ? this.#offset : -1;
    // Skip the tail: it counts as used until the worker passes it.
    if (tail + bound > free) return -1;
    this.#bytes.writeUInt32LE(0, this.#offset);
    this.#position = (this.#position + tail) >>> 0;
    this.#offset = 0;
    return 0;
  }

  #writeHeader(start: number, length: number, kind: number, flags: number, id: number): void {
    const bytes = this.#bytes;
    bytes.writeUInt32LE(length, start);
    bytes[start + 4] = kind;
    bytes[start + 5] = flags;
    bytes.writeUInt16LE(0, start + 6);
    bytes.writeDoubleLE(id, start + 8);
  }

  #commit(start: number, length: number): void {
    this.#position = (this.#position + length) >>> 0;
    this.#offset = start + length;
    if (this.#offset === this.#capacity) this.#offset = 0;
  }
}

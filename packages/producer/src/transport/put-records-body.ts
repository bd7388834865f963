/**
 * The JSON body of a PutRecords request, written with native base64 instead of the SDK's
 * serializer, which encodes every byte of `Data` in a JavaScript loop and regrows its output
 * buffer by doubling (together 15 % of the producer's CPU profile at 1 KiB records; the figures
 * are in packages/producer/README.md, "Performance"). The bytes are the ones the SDK writes for
 * the same input: members in the API model's order, no whitespace, strings escaped as
 * `JSON.stringify` escapes them (put-records-body.test.ts compares them byte for byte).
 */
import type { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

/** The request members the body carries besides `Records`. */
export interface PutRecordsBodyInput {
  readonly Records: readonly PutRecordsRequestEntry[];
  readonly StreamARN?: string | undefined;
  readonly StreamName?: string | undefined;
}

const OPEN = '{"Records":[';
const DATA = '{"Data":"';
const EXPLICIT_HASH_KEY = '","ExplicitHashKey":';
const PARTITION_KEY_AFTER_HASH_KEY = ',"PartitionKey":';
const PARTITION_KEY_AFTER_DATA = '","PartitionKey":';

/**
 * Encodes `input` as the `application/x-amz-json-1.1` body of a PutRecords request, in a buffer
 * from `pool` when one is given.
 */
export function putRecordsBody(input: PutRecordsBodyInput, pool?: BodyBufferPool): Uint8Array {
  const records = input.Records;
  const count = records.length;
  const keys: string[] = new Array(count);
  const hashKeys: Array<string | undefined> = new Array(count);
  let size = OPEN.length + (count > 1 ? count - 1 : 0);
  for (let i = 0; i < count; i++) {
    const record = records[i]!;
    const key = JSON.stringify(record.PartitionKey);
    keys[i] = key;
    size += DATA.length + base64Length(dataOf(record).byteLength) + Buffer.byteLength(key) + 1;
    if (record.ExplicitHashKey === undefined) {
      size += PARTITION_KEY_AFTER_DATA.length;
    } else {
      const hashKey = JSON.stringify(record.ExplicitHashKey);
      hashKeys[i] = hashKey;
      size += EXPLICIT_HASH_KEY.length + Buffer.byteLength(hashKey) + PARTITION_KEY_AFTER_HASH_KEY.length;
    }
  }
  // The model's order is Records, StreamName, StreamARN; the producer sets one of the two.
  const tail = `]${input.StreamName === undefined ? '' : `,"StreamName":${JSON.stringify(input.StreamName)}`}` +
    `${input.StreamARN === undefined ? '' : `,"StreamARN":${JSON.stringify(input.StreamARN)}`}}`;
  size += Buffer.byteLength(tail);

  const body = pool === undefined ? Buffer.allocUnsafe(size) : pool.take(size);
  let at = body.write(OPEN, 0, 'latin1');
  for (let i = 0; i < count; i++) {
    if (i > 0) at = body.writeUInt8(0x2c, at);
    const data = dataOf(records[i]!);
    at += body.write(DATA, at, 'latin1');
    at += body.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'), at, 'latin1');
    const hashKey = hashKeys[i];
    if (hashKey === undefined) {
      at += body.write(PARTITION_KEY_AFTER_DATA, at, 'latin1');
    } else {
      at += body.write(EXPLICIT_HASH_KEY, at, 'latin1');
      at += body.write(hashKey, at, 'utf8');
      at += body.write(PARTITION_KEY_AFTER_HASH_KEY, at, 'latin1');
    }
    at += body.write(keys[i]!, at, 'utf8');
    at = body.writeUInt8(0x7d, at);
  }
  at += body.write(tail, at, 'utf8');
  if (at !== size) throw new Error(`PutRecords body: wrote ${at} of ${size} bytes`);
  return body;
}

function dataOf(record: PutRecordsRequestEntry): Uint8Array {
  const data = record.Data;
  if (!(data instanceof Uint8Array)) throw new TypeError('PutRecords body: every entry\'s Data must be a Uint8Array');
  return data;
}

function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

/** Bodies below this size come from Node's allocator as usual: they are not worth keeping. */
const POOLED_MIN_BYTES = 128 * 1024;
/** Pooled buffers are sized in steps of this, so that a slightly larger body still fits. */
const POOLED_STEP_BYTES = 256 * 1024;
/** Free buffers kept at most: enough for a steady stream of requests, little memory when idle. */
const POOLED_MAX_FREE = 2;

/**
 * Reuses the buffers of large request bodies. A fresh multi-megabyte buffer is new memory from the
 * operating system, and writing it faults in every page: at 64 shards and 1 KiB records that was
 * 9 % of the producer's CPU profile, more than the body's base64 itself. A body goes back to the pool
 * only after a successful response with one result per entry: Kinesis answers PutRecords only
 * once it has parsed the whole body, so nothing still writes it from the socket (the HTTP handler
 * resolves on the response, not when the body is flushed; an endpoint that answered before
 * reading the body would see later bytes in it). A failed or aborted request's body is left to
 * the garbage collector, because its socket may still be writing it. At most two free buffers are
 * kept, each at most the largest body seen (about 1.37 × `collectionMaxSize`), until `destroy()`.
 */
export class BodyBufferPool {
  readonly #free: Buffer[] = [];
  readonly #owned = new WeakSet<ArrayBufferLike>();

  /** A buffer of exactly `size` bytes, uninitialised. */
  take(size: number): Buffer {
    if (size < POOLED_MIN_BYTES) return Buffer.allocUnsafe(size);
    const free = this.#free;
    for (let i = 0; i < free.length; i++) {
      const buffer = free[i]!;
      if (buffer.byteLength < size) continue;
      free.splice(i, 1);
      return buffer.subarray(0, size);
    }
    const buffer = Buffer.allocUnsafeSlow(Math.ceil(size / POOLED_STEP_BYTES) * POOLED_STEP_BYTES);
    this.#owned.add(buffer.buffer);
    return buffer.subarray(0, size);
  }

  /** Returns a body from {@link take} once nothing reads it any more; others are ignored. */
  give(body: Uint8Array): void {
    const backing = body.buffer;
    if (!this.#owned.has(backing)) return;
    const free = this.#free;
    const buffer = Buffer.from(backing, 0, backing.byteLength);
    if (free.length < POOLED_MAX_FREE) {
      free.push(buffer);
      return;
    }
    // Keep the largest buffers: they fit every body the smaller ones fit.
    let smallest = 0;
    for (let i = 1; i < free.length; i++) if (free[i]!.byteLength < free[smallest]!.byteLength) smallest = i;
    if (free[smallest]!.byteLength < buffer.byteLength) free[smallest] = buffer;
  }

  /** Drops every free buffer. */
  clear(): void {
    this.#free.length = 0;
  }
}

import { describe, expect, it } from 'vitest';
import { Control, CONTROL_WORDS, FrameKind } from './layout.js';
import { RingReader } from './ring-reader.js';
import { RingWriter } from './ring-writer.js';
import type { SyncPutRecordInput } from './record-input.js';

function makeRing(capacity: number): { writer: RingWriter; reader: RingReader; control: Int32Array } {
  const shared = new SharedArrayBuffer(CONTROL_WORDS * 4 + capacity);
  const control = new Int32Array(shared, 0, CONTROL_WORDS);
  return { control, writer: new RingWriter(control, shared, CONTROL_WORDS * 4, capacity), reader: new RingReader(control, shared, CONTROL_WORDS * 4, capacity) };
}

function write(writer: RingWriter, id: number, input: SyncPutRecordInput): 'written' | 'full' {
  const stream = input.streamARN ?? input.streamName ?? '';
  return writer.writeRecord(id, input, stream, input.streamARN !== undefined, RingWriter.recordFrameBound(input, stream));
}

describe('the shared ring', () => {
  it('carries records with UTF-8 strings, explicit hash keys, ARNs and bytes, in order', () => {
    const { writer, reader } = makeRing(4096);
    const first = { streamName: 'ördérs', partitionKey: 'clé-🔑', data: new Uint8Array([0, 255, 7]) };
    const second = { streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', partitionKey: 'k', explicitHashKey: '340282366920938463463374607431768211455', data: new Uint8Array(0) };
    expect(write(writer, 1, first)).toBe('written');
    expect(write(writer, 2, second)).toBe('written');
    expect(writer.writeBare(FrameKind.flush, 3)).toBe('written');
    expect(reader.next()).toBeUndefined(); // nothing is visible before publish()
    writer.publish();
    expect(reader.next()).toEqual({ kind: FrameKind.record, id: 1, input: { ...first, explicitHashKey: undefined } });
    expect(reader.next()).toEqual({ kind: FrameKind.record, id: 2, input: second });
    expect(reader.next()).toEqual({ kind: FrameKind.flush, id: 3, input: undefined });
    expect(reader.next()).toBeUndefined();
  });

  it('reports full until the reader releases space, and wraps frames around the end intact', () => {
    const { writer, reader, control } = makeRing(1024);
    const data = new Uint8Array(200).map((_, index) => index);
    let id = 0;
    let readBack = 0;
    // Many laps around a small ring: every record comes back exactly once, in order.
    for (let round = 0; round < 200; round++) {
      while (write(writer, id + 1, { streamName: 's', partitionKey: `p${id + 1}`, data }) === 'written') id++;
      writer.publish();
      // Full: at most one frame plus a skipped tail is unused.
      expect(writer.usedBytes()).toBeGreaterThan(1024 - 2 * 240);
      for (let frame = reader.next(); frame !== undefined; frame = reader.next()) {
        readBack++;
        expect(frame.id).toBe(readBack);
        expect(frame.input?.partitionKey).toBe(`p${readBack}`);
        expect(frame.input?.data).toEqual(data);
      }
      reader.release();
      expect(writer.usedBytes()).toBe(0);
    }
    expect(readBack).toBe(id);
    expect(id).toBeGreaterThan(600);
    expect(Atomics.load(control, Control.readPosition)).toBe(Atomics.load(control, Control.writePosition));
  });

  it('lends record data as a view of the ring, valid until release()', () => {
    // The pump hands the view to Producer.putRecord, which copies it before returning, and releases after.
    const { writer, reader } = makeRing(256);
    write(writer, 1, { streamName: 's', partitionKey: 'a', data: new Uint8Array([1, 2, 3, 4]) });
    writer.publish();
    const data = reader.next()?.input?.data;
    expect(data).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(data?.buffer).toBeInstanceOf(SharedArrayBuffer);
    reader.release();
  });
});

import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { deaggregate } from '@tskpl/agg-codec';
import { Producer } from '@tskpl/producer';
import { FakeTransport } from '@tskpl/producer/testing';
import type { BridgeClock } from '../clock/clock.js';
import { Control, CONTROL_WORDS, FrameKind } from '../shared/layout.js';
import { RingReader } from '../shared/ring-reader.js';
import { RingWriter } from '../shared/ring-writer.js';
import { SyncBridgeError } from '../errors.js';
import { createPump, FRAMES_PER_WAKE } from './pump.js';

/** A producer that admits every record at once and never settles it (only admission matters here). */
function admittingProducer(admitted: number[]): Producer {
  return {
    putRecord: (input: { partitionKey: string }) => {
      admitted.push(Number(input.partitionKey));
      return Promise.resolve({ wait: () => new Promise(() => undefined) });
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  } as unknown as Producer;
}

const immediateClock: BridgeClock = { now: () => 0, every: () => () => undefined, soon: (callback) => setImmediate(callback) };

function ring(capacity: number): { control: Int32Array; writer: RingWriter; reader: RingReader } {
  const shared = new SharedArrayBuffer(CONTROL_WORDS * 4 + capacity);
  const control = new Int32Array(shared, 0, CONTROL_WORDS);
  return {
    control,
    writer: new RingWriter(control, shared, CONTROL_WORDS * 4, capacity),
    reader: new RingReader(control, shared, CONTROL_WORDS * 4, capacity),
  };
}

function setup(): { control: Int32Array; writer: RingWriter; admitted: number[]; start: () => Promise<void> } {
  const { control, writer, reader } = ring(65_536);
  const admitted: number[] = [];
  const { port1 } = new MessageChannel();
  port1.unref();
  const start = (): Promise<void> => createPump({ control, reader, port: port1, producer: admittingProducer(admitted), clock: immediateClock, onClosed: () => undefined }).done;
  return { control, writer, admitted, start };
}

/** Lets the pump run (its awaits are microtasks and setImmediate turns; nothing sleeps). */
async function eventLoopTurns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

function putFrames(writer: RingWriter, count: number, firstId: number): void {
  for (let id = firstId; id < firstId + count; id++) {
    const input = { streamName: 's', partitionKey: String(id), data: new Uint8Array(8) };
    expect(writer.writeRecord(id, input, 's', false, RingWriter.recordFrameBound(input, 's'))).toBe('written');
  }
  writer.publish();
}

describe('the worker pump', () => {
  it('signals a blocked caller for a partial batch of freed frames before it parks', async () => {
    const { control, writer, admitted, start } = setup();
    Atomics.store(control, Control.callerWaiting, 1);
    putFrames(writer, 3, 1);
    const done = start();
    await eventLoopTurns(5);
    expect(admitted).toEqual([1, 2, 3]);
    expect(writer.usedBytes()).toBe(0);
    // Fewer frames than a batch, yet the caller was woken once the pump ran out of frames.
    expect(Atomics.load(control, Control.signal)).toBe(1);
    expect(writer.writeBare(FrameKind.close, 4)).toBe('written');
    writer.publish();
    await done;
  });

  it('wakes a blocked caller once per batch of frames, not once per frame', async () => {
    const { control, writer, admitted, start } = setup();
    Atomics.store(control, Control.callerWaiting, 1);
    const count = 2 * FRAMES_PER_WAKE + 5;
    putFrames(writer, count, 1);
    const done = start();
    await eventLoopTurns(5);
    expect(admitted).toHaveLength(count);
    // Two full batches, then the partial one.
    expect(Atomics.load(control, Control.signal)).toBe(3);
    expect(writer.writeBare(FrameKind.close, count + 1)).toBe('written');
    writer.publish();
    await done;
  });

  it('does not wake a caller that is not blocked', async () => {
    const { control, writer, start } = setup();
    putFrames(writer, 10, 1);
    expect(writer.writeBare(FrameKind.close, 11)).toBe('written');
    writer.publish();
    await start();
    expect(Atomics.load(control, Control.signal)).toBe(0);
  });

  it('fails with a typed SyncBridgeError when a record frame arrives without its body', async () => {
    const { writer, admitted, start } = setup();
    expect(writer.writeBare(FrameKind.recordViaPort, 7)).toBe('written');
    writer.publish();
    const error = await start().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyncBridgeError);
    expect(error).toMatchObject({ code: 'ERR_BRIDGE_PROTOCOL', name: 'SyncBridgeError' });
    expect((error as Error).message).toContain('record 7');
    expect(admitted).toEqual([]);
  });

  it('stores every record as put, though the ring is rewritten as soon as putRecord returns', async () => {
    // The ring lends each record's data to Producer.putRecord without a copy; the producer's own
    // copy on admission is what makes that safe. A small ring is overwritten many times over.
    const { writer, reader, control } = ring(4096);
    const transport = new FakeTransport({ s: 2 });
    const producer = new Producer({ transport, logger: { warn: () => undefined, error: () => undefined } });
    const { port1 } = new MessageChannel();
    port1.unref();
    const done = createPump({ control, reader, port: port1, producer, clock: immediateClock, onClosed: () => undefined }).done;
    const count = 2000;
    const dataOf = (id: number): Uint8Array => new Uint8Array(40).fill(id & 0xff).map((byte, index) => byte ^ index);
    for (let id = 1; id <= count; ) {
      const input = { streamName: 's', partitionKey: `k${id}`, data: dataOf(id) };
      if (writer.writeRecord(id, input, 's', false, RingWriter.recordFrameBound(input, 's')) === 'written') {
        id++;
        continue;
      }
      writer.publish();
      await eventLoopTurns(1);
    }
    while (writer.writeBare(FrameKind.close, count + 1) !== 'written') {
      writer.publish();
      await eventLoopTurns(1);
    }
    writer.publish();
    await done;
    const stored = transport.stream('s').stored.flatMap(({ entry }) => deaggregate(entry));
    expect(stored).toHaveLength(count);
    for (const record of stored) expect(record.data).toEqual(dataOf(Number(record.partitionKey.slice(1))));
  });
});

import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Producer } from '@tskpl/producer';
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

function setup(): { control: Int32Array; writer: RingWriter; admitted: number[]; start: () => Promise<void> } {
  const capacity = 65_536;
  const shared = new SharedArrayBuffer(CONTROL_WORDS * 4 + capacity);
  const control = new Int32Array(shared, 0, CONTROL_WORDS);
  const writer = new RingWriter(control, shared, CONTROL_WORDS * 4, capacity);
  const reader = new RingReader(control, shared, CONTROL_WORDS * 4, capacity);
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
});

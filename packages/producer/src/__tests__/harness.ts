/** Shared setup of producer tests: a fake clock, a fake transport and helpers to let time pass. */
import { deaggregate } from '@tskpl/agg-codec';
import { createFakeClock, type FakeClock } from '../clock/fake-clock.js';
import { silentLogger } from '../config/logger.js';
import type { ProducerOptions } from '../config/config.js';
import { Producer } from '../producer/producer.js';
import type { Outcome } from '../record/outcome.js';
import type { RecordResult } from '../record/user-record.js';
import { FakeTransport } from '../testing/fake-transport.js';

export interface Harness {
  readonly clock: FakeClock;
  readonly transport: FakeTransport;
  readonly producer: Producer;
}

export function createHarness(streams: Record<string, number> = { orders: 4 }, options: ProducerOptions = {}): Harness {
  const clock = createFakeClock();
  const transport = new FakeTransport(streams);
  const producer = new Producer({ transport, clock, logger: silentLogger, ...options });
  return { clock, transport, producer };
}

/** Lets every pending promise callback run (no time passes). */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Advances the fake clock by `ms` in steps, letting promise callbacks run between steps. */
export async function advance(clock: FakeClock, ms: number, step = 5): Promise<void> {
  await settle();
  for (let elapsed = 0; elapsed < ms; elapsed += step) {
    clock.advance(Math.min(step, ms - elapsed));
    await settle();
  }
}

/** Waits (in fake time) until every outcome is done, or fails after `limitMs`. */
export async function results(clock: FakeClock, outcomes: readonly Outcome[], limitMs = 120_000): Promise<RecordResult[]> {
  let waited = 0;
  await settle();
  while (outcomes.some((outcome) => !outcome.done)) {
    if (waited > limitMs) throw new Error(`outcomes not done after ${limitMs} ms of fake time`);
    clock.advance(10);
    waited += 10;
    await settle();
  }
  return Promise.all(outcomes.map((outcome) => outcome.wait()));
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Every user record stored by the fake, with its location, decoded the way a KCL consumer sees it. */
export function storedUserRecords(transport: FakeTransport, stream: string) {
  return transport.stream(stream).stored.flatMap((stored) =>
    deaggregate({ data: stored.entry.data, partitionKey: stored.entry.partitionKey, explicitHashKey: stored.entry.explicitHashKey }).map((record) => ({
      shardId: stored.shardId,
      sequenceNumber: stored.sequenceNumber,
      subSequenceNumber: record.subSequenceNumber,
      partitionKey: record.partitionKey,
      data: new TextDecoder().decode(record.data),
    })),
  );
}

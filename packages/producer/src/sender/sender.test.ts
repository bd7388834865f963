import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { testStream } from '../__tests__/records.js';
import type { PutRecordsBatch } from '../record/user-record.js';

const stream = testStream();
import type { KinesisTransport, PutRecordsResponse } from '../transport/transport.js';
import { createSender } from './sender.js';

describe('sender', () => {
  it('keeps at most maxConnections requests in flight and sends queued batches in order as slots free', async () => {
    const clock = createFakeClock();
    const pending: Array<{ id: number; resolve: (response: PutRecordsResponse) => void }> = [];
    const transport = {
      putRecords: (_stream, entries) => new Promise<PutRecordsResponse>((resolve) => pending.push({ id: entries.length, resolve })),
    } as KinesisTransport;
    const completed: number[] = [];
    const sender = createSender({
      clock, transport, maxConnections: 2, requestTimeoutMs: 60_000,
      outcomes: {
        prepare: (batch) => batch,
        onResponse: (batch) => void completed.push(batch.records.length),
        onError: () => {},
        onInternalError: () => {},
      },
    });
    const batch = (size: number): PutRecordsBatch => ({ owner: stream, records: Array.from({ length: size }, () => ({ data: new Uint8Array(1), partitionKey: 'k', explicitHashKey: '0' }) as never), bytes: size });
    for (let size = 1; size <= 5; size++) sender.send(batch(size));
    expect(sender.inFlight).toBe(2);
    expect(sender.queued).toBe(3);
    expect(pending.map((call) => call.id)).toEqual([1, 2]);
    pending[0]!.resolve({ records: [] });
    await Promise.resolve();
    await Promise.resolve();
    expect(pending.map((call) => call.id)).toEqual([1, 2, 3]);
    expect(sender.inFlight).toBe(2);
    expect(completed).toEqual([1]);
  });

  it('aborts a request at its overall deadline, whatever the connection does, and frees its slot', async () => {
    const clock = createFakeClock();
    const signals: AbortSignal[] = [];
    // A transport that never answers (a server trickling one byte at a time looks the same).
    const transport = { putRecords: (_stream, _entries, options) => (signals.push(options!.signal!), new Promise<PutRecordsResponse>(() => {})) } as KinesisTransport;
    const errors: string[] = [];
    const sender = createSender({
      clock, transport, maxConnections: 1, requestTimeoutMs: 1_000,
      outcomes: {
        prepare: (batch) => batch,
        onResponse: () => {},
        onError: (_batch, error) => void errors.push((error as Error).name),
        onInternalError: () => {},
      },
    });
    const record = (expiresAt: number) => ({ data: new Uint8Array(1), partitionKey: 'k', explicitHashKey: '0', expiresAt, records: [] }) as never;
    sender.send({ owner: stream, records: [record(clock.now() + 30_000)], bytes: 1 });
    sender.send({ owner: stream, records: [record(clock.now() + 1_500)], bytes: 1 });
    clock.advance(999);
    expect(errors).toEqual([]);
    clock.advance(1);
    expect(errors).toEqual(['RequestTimeout']);
    expect(signals[0]!.aborted).toBe(true);
    // The second request started at 1000 and carries a record expiring at 1500: its deadline is the TTL, not 2000.
    expect(sender.inFlight).toBe(1);
    clock.advance(501);
    expect(errors).toEqual(['RequestTimeout', 'RequestTimeout']);
    expect(sender.inFlight).toBe(0);
  });
});

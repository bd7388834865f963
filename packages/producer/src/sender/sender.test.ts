import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import type { PutRecordsBatch } from '../collector/collector.js';
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
      clock, transport, maxConnections: 2,
      streamRefOf: (stream) => ({ streamName: stream }),
      prepare: (batch) => batch,
      onResponse: (batch) => completed.push(batch.records.length),
      onError: () => {},
    });
    const batch = (size: number): PutRecordsBatch => ({ stream: 's', records: Array.from({ length: size }, () => ({ data: new Uint8Array(1), partitionKey: 'k', explicitHashKey: '0' }) as never), bytes: size });
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
});

import { hashKeyOf } from '@tskpl/agg-codec';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ProducerClosedError } from '../errors/errors.js';
import type { Outcome } from '../record/outcome.js';
import { advance, bytes, createHarness, results, settle, storedUserRecords } from './harness.js';
import { hashKeyOfEntry } from '../testing/fake-transport.js';

describe('Producer delivery', () => {
  it('delivers every record and each result locates exactly its data in the stream', async () => {
    const { clock, transport, producer } = createHarness({ orders: 4 });
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 300; index++) {
      outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `customer-${index % 37}`, data: bytes(`payload-${index}`) }));
    }
    const all = await results(clock, outcomes);
    const stored = storedUserRecords(transport, 'orders');
    expect(stored).toHaveLength(300);
    all.forEach((result, index) => {
      expect(result.successful).toBe(true);
      const located = stored.filter((record) => record.shardId === result.shardId && record.sequenceNumber === result.sequenceNumber && record.subSequenceNumber === result.subSequenceNumber);
      expect(located).toHaveLength(1);
      expect(located[0]!.data).toBe(`payload-${index}`);
      expect(result.attempts).toHaveLength(1);
      expect(result.attempts[0]!.successful).toBe(true);
    });
    expect(producer.outstandingRecords).toBe(0);
  });

  it('an Outcome shows its state, not the pipeline, and wait() and result give the same result object', async () => {
    const { clock, producer } = createHarness({ orders: 1 });
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('v') });
    expect(inspect(outcome)).toBe('{ done: false, result: undefined }');
    const waited = outcome.wait();
    expect(outcome.wait()).toBe(waited);
    const [result] = await results(clock, [outcome]);
    expect(await waited).toBe(result);
    expect(outcome.result).toBe(result);
    expect(outcome.done).toBe(true);
    const shown = inspect(outcome, { depth: 4 });
    expect(shown).toContain('done: true');
    expect(shown).toContain(`sequenceNumber: '${result!.sequenceNumber}'`);
    expect(shown).not.toContain('owner');
    expect(Object.keys(result!).sort()).toEqual(['attempts', 'attemptsDropped', 'sequenceNumber', 'shardId', 'streamName', 'subSequenceNumber', 'successful']);
  });

  it('aggregates per predicted shard: every member of a stored aggregate hashes into the shard that holds it', async () => {
    const { clock, transport, producer } = createHarness({ orders: 4 });
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 400; index++) {
      outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `key-${index}`, data: bytes('x'.repeat(100)) }));
    }
    await results(clock, outcomes);
    const stream = transport.stream('orders');
    let aggregates = 0;
    for (const stored of stream.stored) {
      if (stored.entry.partitionKey === 'a') aggregates++;
    }
    expect(aggregates).toBeGreaterThanOrEqual(4);
    expect(stream.stored.length).toBeLessThan(20);
    for (const record of storedUserRecords(transport, 'orders')) {
      const shard = stream.shards.find((candidate) => candidate.shardId === record.shardId)!;
      const hashKey = BigInt(hashKeyOf(record.partitionKey));
      expect(hashKey >= shard.start && hashKey <= shard.end).toBe(true);
    }
  });

  it('writes aggregates the way the KPL does: outer key "a", outer explicit hash key of the first member; a lone record raw', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    const first = await producer.putRecord({ streamName: 'orders', partitionKey: 'alpha', data: bytes('hello') });
    await producer.putRecord({ streamName: 'orders', partitionKey: 'beta', explicitHashKey: '42', data: bytes('world') });
    await results(clock, [first]);
    const lone = await producer.putRecord({ streamName: 'orders', partitionKey: 'solo', data: bytes('raw bytes') });
    await results(clock, [lone]);
    const [aggregate, single] = transport.stream('orders').stored;
    expect(aggregate!.entry.partitionKey).toBe('a');
    expect(aggregate!.entry.explicitHashKey).toBe(hashKeyOf('alpha'));
    expect(Buffer.from(aggregate!.entry.data.subarray(0, 4)).toString('hex')).toBe('f3899ac2');
    expect(single!.entry.partitionKey).toBe('solo');
    expect(single!.entry.explicitHashKey).toBe(hashKeyOf('solo'));
    expect(new TextDecoder().decode(single!.entry.data)).toBe('raw bytes');
    expect((await lone.wait()).subSequenceNumber).toBe(0);
    expect((await first.wait()).subSequenceNumber).toBe(0);
  });

  it('sends explicit hash keys to the shard they name', async () => {
    const { clock, transport, producer } = createHarness({ orders: 4 });
    const top = (1n << 128n) - 1n;
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', explicitHashKey: top.toString(), data: bytes('end') });
    const [result] = await results(clock, [outcome]);
    expect(result!.shardId).toBe('shardId-000000000003');
    expect(hashKeyOfEntry(transport.stream('orders').stored[0]!.entry)).toBe(top);
  });

  it('serves several streams through one producer', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2, payments: 3 });
    const outcomes = [
      await producer.putRecord({ streamName: 'orders', partitionKey: 'a1', data: bytes('o') }),
      await producer.putRecord({ streamName: 'payments', partitionKey: 'b1', data: bytes('p') }),
    ];
    const [orders, payments] = await results(clock, outcomes);
    expect(orders!.streamName).toBe('orders');
    expect(payments!.streamName).toBe('payments');
    expect(transport.stream('orders').stored).toHaveLength(1);
    expect(transport.stream('payments').stored).toHaveLength(1);
  });

  it('accepts a stream ARN and reports the stream by name', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    const outcome = await producer.putRecord({ streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders', partitionKey: 'k', data: bytes('x') });
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(true);
    expect(result!.streamName).toBe('orders');
    expect(transport.calls[0]!.stream).toEqual({ streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders' });
  });

  it('flush() resolves only when every earlier record has its outcome, without waiting for the buffering deadline', async () => {
    const { transport, producer } = createHarness({ orders: 2 }, { recordMaxBufferedTimeMs: 60_000 });
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 10; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes('x') }));
    await settle();
    let flushed = false;
    const flushing = producer.flush().then(() => {
      flushed = true;
    });
    await settle();
    await flushing;
    expect(flushed).toBe(true);
    expect(outcomes.every((outcome) => outcome.done)).toBe(true);
    expect(transport.stream('orders').stored.length).toBeGreaterThan(0);
  });

  it('close() waits for in-flight requests before releasing the transport, and rejects later puts', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    transport.hold = true;
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    await advance(clock, 200);
    expect(transport.heldCalls).toBe(1);
    let closed = false;
    const closing = producer.close().then(() => {
      closed = true;
    });
    await advance(clock, 50);
    expect(closed).toBe(false);
    expect(transport.destroyed).toBe(false);
    await expect(producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') })).rejects.toBeInstanceOf(ProducerClosedError);
    transport.release();
    await settle();
    await closing;
    expect(outcome.done).toBe(true);
    expect(transport.destroyed).toBe(true);
    await producer.close();
  });

  it('supports await using (Symbol.asyncDispose)', async () => {
    const { transport, producer } = createHarness({ orders: 1 });
    {
      await using disposable = producer;
      await disposable.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    }
    expect(transport.destroyed).toBe(true);
    expect(transport.stream('orders').stored).toHaveLength(1);
  });
});

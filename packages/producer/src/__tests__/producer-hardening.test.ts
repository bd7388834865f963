/**
 * Regression tests for defects found by an adversarial review of the producer (each names the
 * item it covers); see also producer-lifetime.test.ts and transport/http-errors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, ProducerClosedError, ValidationError } from '../errors/errors.js';
import type { Outcome } from '../record/outcome.js';
import { classifyFailure, failureOf } from '../errors/classify.js';
import { hashKeyOf } from '@tskpl/agg-codec';
import { advance, bytes, createHarness, results, settle, storedUserRecords } from './harness.js';
import { awsError } from '../testing/fake-transport.js';

describe('the caller’s buffer (copy on admission)', () => {
  it('stores what was passed at putRecord time, whatever the caller does with its buffer afterwards', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    const buffer = Buffer.alloc(8);
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 5; index++) {
      buffer.write(`record-${index}`.padEnd(8, '.'));
      outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: buffer }));
    }
    buffer.fill(0);
    await results(clock, outcomes);
    expect(storedUserRecords(transport, 'orders').map((record) => record.data).sort()).toEqual(['record-0', 'record-1', 'record-2', 'record-3', 'record-4']);
  });
});

describe('a stream deleted and recreated with the same name', () => {
  it('reports no success inside an aggregate a KCL drops: the recreated stream’s ranges are learnt and the aggregates re-sent', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 }, { aggregationMaxCount: 10 });
    const first: Outcome[] = [];
    for (let index = 0; index < 300; index++) first.push(await producer.putRecord({ streamName: 'orders', partitionKey: `before-${index}`, data: bytes(`b${index}`) }));
    await results(clock, first);
    transport.streams.delete('orders');
    transport.addStream('orders', 4);
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 3000; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `after-${index}`, data: bytes(`a${index}`) }));
    const all = await results(clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    const shards = transport.stream('orders').shards;
    const stored = storedUserRecords(transport, 'orders');
    let checked = 0;
    for (const result of all) {
      const shard = shards.find((candidate) => candidate.shardId === result.shardId)!;
      const members = stored.filter((record) => record.shardId === result.shardId && record.sequenceNumber === result.sequenceNumber);
      // The KCL keeps an aggregate only if every member hashes into the shard that stored it.
      for (const member of members) {
        const hashKey = BigInt(hashKeyOf(member.partitionKey));
        expect(hashKey >= shard.start && hashKey <= shard.end).toBe(true);
      }
      checked++;
    }
    expect(checked).toBe(3000);
  });
});

describe('flush()', () => {
  it('waits for records still waiting for admission (backpressure) when it is called', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 }, { maxOutstandingRecords: 2 });
    transport.hold = true;
    const puts = Array.from({ length: 6 }, (_, index) => producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes(`r${index}`) }));
    await settle();
    let flushed = false;
    const flushing = producer.flush().then(() => {
      flushed = true;
    });
    transport.release();
    transport.hold = false;
    for (let step = 0; step < 200 && !flushed; step++) await advance(clock, 10);
    await flushing;
    const outcomes = await Promise.all(puts);
    expect(outcomes.every((outcome) => outcome.done)).toBe(true);
  });

  it('hurries only records put before it: later records are still aggregated', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    await producer.ready('orders');
    const early = await producer.putRecord({ streamName: 'orders', partitionKey: 'early', data: bytes('early') });
    transport.hold = true; // the flush stays pending while its request is held
    const flushing = producer.flush();
    await settle();
    const later: Outcome[] = [];
    for (let index = 0; index < 200; index++) {
      later.push(await producer.putRecord({ streamName: 'orders', partitionKey: `late-${index}`, data: bytes(`late-${index}`) }));
      if (index % 20 === 0) await advance(clock, 5);
    }
    transport.release();
    transport.hold = false;
    await results(clock, [early, ...later]);
    await flushing;
    // 200 records put within ~50 ms while the flush was pending: a handful of aggregates, not one request per record.
    expect(transport.calls.length).toBeLessThan(10);
  });
});

describe('rate limits', () => {
  it('after an idle minute, a 4 MiB burst to one shard leaves at about 1 MiB/s, not at once', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { rateLimit: 100 });
    await producer.ready('orders');
    await advance(clock, 60_000, 10_000);
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 40; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: new Uint8Array(100 * 1024) }));
    await advance(clock, 300, 10);
    const sentBytes = () => transport.calls.reduce((total, call) => total + call.entries.reduce((sum, entry) => sum + entry.data.length, 0), 0);
    expect(sentBytes()).toBeLessThanOrEqual(1.35 * 1024 * 1024);
    await results(clock, outcomes);
  });

  it('paces each shard with aggregation off too', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { rateLimit: 100, aggregationEnabled: false });
    await producer.ready('orders');
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 3000; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes('x') }));
    await advance(clock, 500, 10);
    const entries = () => transport.calls.reduce((total, call) => total + call.entries.length, 0);
    // One second of the records bucket (1000) plus half a second of refill (500).
    expect(entries()).toBeLessThanOrEqual(1_550);
    await results(clock, outcomes);
    expect(entries()).toBe(3000);
  });
});

describe('one pipeline per stream', () => {
  it('serves a stream put to by name and by ARN with one shard map and one rate limit', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { rateLimit: 100, aggregationEnabled: false });
    await producer.ready('orders');
    await advance(clock, 10);
    const arn = 'arn:aws:kinesis:us-east-1:123456789012:stream/orders';
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 1500; index++) {
      outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `n${index}`, data: bytes('x') }));
      outcomes.push(await producer.putRecord({ streamARN: arn, partitionKey: `a${index}`, data: bytes('x') }));
    }
    await advance(clock, 500, 10);
    const entries = transport.calls.reduce((total, call) => total + call.entries.length, 0);
    expect(entries).toBeLessThanOrEqual(1_550); // one limiter: 1000 + 0.5 s × 1000, not twice that
    expect(transport.listShardsCalls).toHaveLength(1);
    const all = await results(clock, outcomes);
    expect(all.every((result) => result.successful && result.streamName === 'orders')).toBe(true);
  });
});

describe('idle streams', () => {
  it('a stream with nothing outstanding for streamIdleTimeoutMs releases its pipeline (its next record fetches a new shard map)', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { streamIdleTimeoutMs: 60_000 });
    await results(clock, [await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') })]);
    expect(transport.listShardsCalls).toHaveLength(1);
    await advance(clock, 30_000, 1_000);
    await results(clock, [await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') })]);
    expect(transport.listShardsCalls).toHaveLength(1); // still in use
    await advance(clock, 100_000, 1_000);
    const pending = clock.pendingTimers;
    await results(clock, [await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') })]);
    expect(transport.listShardsCalls).toHaveLength(2);
    expect(pending).toBeLessThanOrEqual(1); // only the idle sweep's own timer was left
  });
});

describe('close() racing a large record', () => {
  it('a record over 1 MiB put just before close() rejects with ProducerClosedError (or is delivered), never an uncaught exception', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { maxUserRecordSize: 10 * 1024 * 1024 });
    transport.stream('orders').maxRecordSizeInKiB = 10_240;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const put = producer.putRecord({ streamName: 'orders', partitionKey: 'big', data: new Uint8Array(2 * 1024 * 1024) }).then((admitted) => admitted, (error: unknown) => error);
      const closing = producer.close();
      await advance(clock, 1_000);
      await closing;
      const outcome = await put;
      expect(outcome).toBeInstanceOf(ProducerClosedError);
      expect(producer.outstandingRecords).toBe(0);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});

describe('requests in flight', () => {
  it('a request that never completes is bounded: the record expires at its TTL and flush() and close() resolve', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { requestTimeoutMs: 1_000, recordTtlMs: 2_000 });
    await producer.ready('orders');
    transport.hold = true; // every PutRecords hangs, as behind a server that answers one byte every 300 ms
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    const flushed = producer.flush();
    const [result] = await results(clock, [outcome], 5_000);
    await flushed;
    expect(result!.successful).toBe(false);
    expect(result!.errorCode).toBe('Expired');
    expect(result!.attempts.map((attempt) => attempt.errorCode)).toContain('RequestTimeout');
    const closing = producer.close();
    await advance(clock, 100);
    await closing;
  });
});

describe('bisection', () => {
  async function putFiveHundred(producer: { putRecord: (input: never) => Promise<Outcome> }): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 500; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes(index === 321 ? 'poison' : `r${index}`) } as never));
    return outcomes;
  }

  it('isolates one poison record among 500 in about 2 log2(500) requests; innocent records carry no probe failures', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { aggregationEnabled: false, rateLimit: 100_000 });
    await producer.ready('orders');
    transport.requestScript = (call) => {
      const poison = call.entries.findIndex((entry) => new TextDecoder().decode(entry.data) === 'poison');
      return poison < 0 ? undefined : awsError('ValidationException', 400, `1 validation error detected: Value at 'records.${poison + 1}.member.data' failed to satisfy constraint`);
    };
    const all = await results(clock, await putFiveHundred(producer));
    const failed = all.filter((result) => !result.successful);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.errorCode).toBe('ValidationException');
    expect(all.filter((result) => result.successful).every((result) => result.attempts.length === 1)).toBe(true);
    expect(transport.calls.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(500)) + 2);
  });

  it('does not bisect a rejection of the request as a whole: one request, every record fails once', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { aggregationEnabled: false, rateLimit: 100_000 });
    await producer.ready('orders');
    transport.requestScript = () => awsError('ValidationException', 400, "1 validation error detected: Value 'orders!' at 'streamName' failed to satisfy constraint");
    const all = await results(clock, await putFiveHundred(producer));
    expect(all.every((result) => !result.successful && result.errorCode === 'ValidationException' && result.attempts.length === 1)).toBe(true);
    expect(transport.calls).toHaveLength(1);
  });
});

describe('unexpected exceptions on a record’s path', () => {
  it('a PutRecords answer the retrier cannot read fails its records with InternalError instead of stranding them', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    await producer.ready('orders');
    transport.requestScript = (call) => ({ records: call.entries.map(() => null as never) });
    const [result] = await results(clock, [await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') })]);
    expect(result!.successful).toBe(false);
    expect(result!.errorCode).toBe('InternalError');
    transport.requestScript = undefined;
    const closing = producer.close();
    await advance(clock, 100);
    await closing;
  });
});

describe('options', () => {
  it('rejects an unknown option with a ConfigError that suggests the right name', () => {
    const { producer: _unused, ...rest } = { producer: undefined, metricLevel: 'none' };
    expect(() => createHarness({ orders: 1 }, rest as never)).toThrow(ConfigError);
    expect(() => createHarness({ orders: 1 }, { metricLevel: 'none' } as never)).toThrow(/Unknown option metricLevel \(did you mean "metricsLevel"\?\)/);
    expect(() => createHarness({ orders: 1 }, { metricsUploadDelay: 1000 } as never)).toThrow(/did you mean "metricsUploadDelayMs"/);
    expect(() => createHarness({ orders: 1 }, { RecordTtl: 1000 } as never)).toThrow(/did you mean "recordTtlMs"/);
  });
});

describe('classification', () => {
  it('fails records at once when the client has no region or no credentials, instead of retrying until the TTL', async () => {
    for (const error of [new Error('Region is missing'), Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })]) {
      const { clock, transport, producer } = createHarness({ orders: 1 });
      await producer.ready('orders');
      transport.requestScript = () => error;
      const started = clock.now();
      const [result] = await results(clock, [await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') })]);
      expect(result!.successful).toBe(false);
      expect(['RegionMissing', 'CredentialsProviderError']).toContain(result!.errorCode);
      expect(clock.now() - started).toBeLessThan(1_000);
    }
  });

  it('names HTTP errors without a Kinesis body by their status, classified by the table', () => {
    const html = (status: number) => Object.assign(new SyntaxError('Unexpected token \'<\', "<html>" is not valid JSON'), { $metadata: { httpStatusCode: status } });
    expect(failureOf(html(502)).code).toBe('HTTP502');
    expect(classifyFailure('HTTP502', 502)).toBe('transient');
    expect(classifyFailure(failureOf(html(429)).code)).toBe('throttled');
    expect(classifyFailure(failureOf(html(413)).code)).toBe('content');
    expect(failureOf(Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 500 } })).code).toBe('HTTP500');
  });

  it('failIfThrottled fails records on every throttling code, not only ProvisionedThroughputExceededException', async () => {
    for (const code of ['KMSThrottlingException', 'LimitExceededException', 'HTTP429']) {
      const { clock, transport, producer } = createHarness({ orders: 1 }, { failIfThrottled: true });
      await producer.ready('orders');
      transport.requestScript = () => awsError(code, code === 'HTTP429' ? 429 : 400);
      const [result] = await results(clock, [await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') })]);
      expect(result!.successful).toBe(false);
      expect(result!.attempts).toHaveLength(1);
    }
  });
});

describe('validation', () => {
  const emoji = (count: number) => '😀'.repeat(count);

  it('counts partition key length in code points, as Kinesis does (not UTF-16 units as the Java KPL)', async () => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    const outcomes: Outcome[] = [];
    for (const count of [128, 129, 200, 256]) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: emoji(count), data: bytes(`e${count}`) }));
    const all = await results(clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    expect(storedUserRecords(transport, 'orders')).toHaveLength(4);
    await expect(producer.putRecord({ streamName: 'orders', partitionKey: emoji(257), data: bytes('x') })).rejects.toThrow(ValidationError);
  });

  it('judges a stream name and a stream ARN separately every time (no memo shared between them)', async () => {
    const { producer } = createHarness({ orders: 2 });
    await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    await expect(producer.putRecord({ streamARN: 'orders', partitionKey: 'k', data: bytes('x') })).rejects.toThrow(ValidationError);
  });
});

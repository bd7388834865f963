import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ProducerClosedError, ValidationError } from '@tskpl/producer';
import { ArgumentError, SyncProducer, TimeoutError } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { fakeOptions, startFakeKinesisThread, uniqueStreamName, type FakeKinesisThread } from './helpers/fake-kinesis-thread.js';

let fake: FakeKinesisThread;
beforeAll(async () => {
  fake = await startFakeKinesisThread();
});
afterAll(async () => fake.close());

async function newStream(prefix: string, shardCount = 2): Promise<string> {
  const streamName = uniqueStreamName(prefix);
  await fake.createStream({ streamName, shardCount });
  return streamName;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('SyncProducer against the fake Kinesis', () => {
  it('returns the async API’s RecordResult for every record, with sequence numbers the stream stored', async () => {
    const streamName = await newStream('results');
    const producer = new SyncProducer(fakeOptions(fake));
    const outcomes = Array.from({ length: 300 }, (_, index) => producer.putRecord({ streamName, partitionKey: `key-${index}`, data: bytes(`record ${index}`) }));
    producer.flush(20_000);
    expect(producer.outstandingRecords).toBe(0);
    const results = outcomes.map((outcome) => {
      expect(outcome.done).toBe(true);
      return outcome.wait(0);
    });
    producer.close(20_000);
    expect(results.every((result) => result.successful && result.streamName === streamName)).toBe(true);
    expect(results.every((result) => /^shardId-\d{12}$/.test(result.shardId ?? '') && result.attempts.length >= 1)).toBe(true);
    const stored = new Set(await fake.sequenceNumbers(streamName));
    for (const result of results) expect(stored.has(`${result.shardId}/${result.sequenceNumber}`)).toBe(true);
    expect(new Set(outcomes.map((outcome) => outcome.id)).size).toBe(300);
  });

  it('throws TimeoutError from wait(1) and flush(1), and the next calls work', async () => {
    const streamName = await newStream('timeouts');
    await fake.latency(streamName, 300);
    const producer = new SyncProducer({ ...fakeOptions(fake), recordMaxBufferedTimeMs: 50 });
    const outcome = producer.putRecord({ streamName, partitionKey: 'k', data: bytes('slow') });
    const timeout = catchError(() => outcome.wait(1));
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect((timeout as TimeoutError).code).toBe('ERR_SYNC_TIMEOUT');
    expect(outcome.wait(20_000).successful).toBe(true);

    producer.putRecord({ streamName, partitionKey: 'k', data: bytes('slow again') });
    expect(catchError(() => producer.flush(1))).toBeInstanceOf(TimeoutError);
    expect(producer.outstandingRecords).toBe(1);
    producer.flush(20_000);
    expect(producer.outstandingRecords).toBe(0);
    const after = producer.putRecord({ streamName, partitionKey: 'k', data: bytes('after') });
    expect(after.wait(20_000).successful).toBe(true);
    producer.close(20_000);
    expect(await fake.count(streamName)).toBe(3);
  });

  it('rebuilds the worker’s ValidationError and ConfigError as the same classes, with their codes', async () => {
    const streamName = await newStream('typed-errors');
    const producer = new SyncProducer(fakeOptions(fake));
    // Bad input is refused at once on the caller's thread, as the async API rejects before buffering.
    const badKey = catchError(() => producer.putRecord({ streamName, partitionKey: '', data: bytes('x') }));
    expect(badKey).toBeInstanceOf(ValidationError);
    expect(badKey).toMatchObject({ code: 'ERR_INVALID_PARTITION_KEY', field: 'partitionKey' });
    // What only the worker can judge (data + key against the stream's own limit) comes back from wait() as the same class.
    const refused = producer.putRecord({ streamName, partitionKey: 'kk', data: new Uint8Array(1_048_576) });
    const error = catchError(() => refused.wait(20_000));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'ERR_RECORD_TOO_LARGE', field: 'data' });
    // Input that cannot even be framed is refused at once, by the same class.
    const notBytes = catchError(() => producer.putRecord({ streamName, partitionKey: 'k', data: 'text' as unknown as Uint8Array }));
    expect(notBytes).toBeInstanceOf(ValidationError);
    expect(notBytes).toMatchObject({ code: 'ERR_INVALID_DATA', field: 'data' });
    // The producer is unaffected.
    expect(producer.putRecord({ streamName, partitionKey: 'k', data: bytes('fine') }).wait(20_000).successful).toBe(true);
    producer.close(20_000);

    const configError = catchError(() => new SyncProducer({ ...fakeOptions(fake), collectionMaxCount: 501 }));
    expect(configError).toBeInstanceOf(ConfigError);
    expect(configError).toMatchObject({ code: 'ERR_INVALID_CONFIG', option: 'collectionMaxCount' });
    expect((configError as Error).message).toContain('501');
    const bridgeError = catchError(() => new SyncProducer({ ...fakeOptions(fake), ringSizeBytes: 100 }));
    expect(bridgeError).toBeInstanceOf(ConfigError);
    expect(bridgeError).toMatchObject({ option: 'ringSizeBytes' });
  });

  it('holds the caller while the worker’s producer applies backpressure, and loses nothing', async () => {
    const streamName = await newStream('backpressure', 1);
    await fake.latency(streamName, 100);
    const producer = new SyncProducer({ ...fakeOptions(fake), maxOutstandingRecords: 4, ringSizeBytes: 65_536, recordMaxBufferedTimeMs: 1, aggregationEnabled: false });
    const data = new Uint8Array(8_000).fill(7);
    let longestPutMs = 0;
    let mostOutstanding = 0;
    const outcomes = [];
    for (let index = 0; index < 40; index++) {
      const started = performance.now();
      outcomes.push(producer.putRecord({ streamName, partitionKey: `k${index}`, data }));
      longestPutMs = Math.max(longestPutMs, performance.now() - started);
      mostOutstanding = Math.max(mostOutstanding, producer.outstandingRecords);
    }
    producer.close(30_000);
    // The caller was held; what it had outstanding stayed bounded: 4 admitted by the producer,
    // 1 awaiting admission, 8 frames of 8 KB in the 64 KiB ring, plus results not yet drained.
    expect(longestPutMs).toBeGreaterThan(50);
    expect(mostOutstanding).toBeLessThanOrEqual(4 + 1 + 8 + 3);
    expect(outcomes.every((outcome) => outcome.wait(0).successful)).toBe(true);
    expect(await fake.count(streamName)).toBe(40);
  });

  it('gives up a putRecord after its timeout against a hung Kinesis, with nothing admitted, and stays usable', async () => {
    const streamName = await newStream('hung', 1);
    await fake.hang(streamName);
    const producer = new SyncProducer({
      ...fakeOptions(fake),
      maxOutstandingRecords: 4,
      ringSizeBytes: 65_536,
      recordMaxBufferedTimeMs: 1,
      aggregationEnabled: false,
      requestTimeoutMs: 1000,
      putRecordTimeoutMs: 300,
    });
    const data = new Uint8Array(8_000).fill(7);
    const outcomes = [];
    let refused: { error: unknown; elapsedMs: number } | undefined;
    for (let index = 0; index < 40 && refused === undefined; index++) {
      const started = performance.now();
      try {
        outcomes.push(producer.putRecord({ streamName, partitionKey: `k${index}`, data }));
      } catch (error) {
        refused = { error, elapsedMs: performance.now() - started };
      }
    }
    // The default deadline (putRecordTimeoutMs) ended the put that found the ring full.
    expect(refused?.error).toBeInstanceOf(TimeoutError);
    expect(refused?.error).toMatchObject({ code: 'ERR_SYNC_TIMEOUT', operation: 'putRecord', timeoutMs: 300, reason: 'deadline' });
    expect(refused?.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(refused?.elapsedMs).toBeLessThan(3000);
    expect(outcomes.length).toBeGreaterThan(4);
    expect(producer.outstandingRecords).toBe(outcomes.length);
    // A per-call timeout wins; 0 never blocks. Fill what room is left: small records, then records
    // too large for the ring (a 16-byte frame each, the body through the port), until refused.
    let refusals = 0;
    for (const size of [10, 20_000]) {
      for (let index = 0; index < 1000; index++) {
        const started = performance.now();
        try {
          outcomes.push(producer.putRecord({ streamName, partitionKey: `fill-${size}-${index}`, data: new Uint8Array(size) }, { timeoutMs: 0 }));
        } catch (error) {
          expect(error).toMatchObject({ code: 'ERR_SYNC_TIMEOUT', operation: 'putRecord', timeoutMs: 0 });
          expect(performance.now() - started).toBeLessThan(250);
          refusals++;
          break;
        }
      }
    }
    expect(refusals).toBe(2);
    const admitted = outcomes.length;
    expect(producer.outstandingRecords).toBe(admitted);
    // Kinesis answers again: exactly the admitted records are stored, and the producer takes more.
    await fake.clearFaults();
    const after = producer.putRecord({ streamName, partitionKey: 'after', data: bytes('after') }, { timeoutMs: 30_000 });
    producer.close(30_000);
    expect(outcomes.every((outcome) => outcome.wait(0).successful)).toBe(true);
    expect(after.wait(0).successful).toBe(true);
    expect(await fake.count(streamName)).toBe(admitted + 1);
  });

  it('rejects a bad timeout or options object with a typed ArgumentError, and stays usable', async () => {
    const streamName = await newStream('arguments');
    const producer = new SyncProducer(fakeOptions(fake));
    const record = { streamName, partitionKey: 'k', data: bytes('v') };
    for (const [call, argument] of [
      [() => producer.putRecord(record, { timeoutMs: -1 }), 'timeoutMs'],
      [() => producer.putRecord(record, 'fast' as never), 'options'],
      [() => producer.flush(Number.NaN), 'timeoutMs'],
    ] as const) {
      const error = catchError(call);
      expect(error).toBeInstanceOf(ArgumentError);
      expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', argument });
    }
    expect(producer.putRecord(record).wait(30_000).successful).toBe(true);
    producer.close(30_000);
  });

  it('sends records too large for the ring through the port, in order with the others', async () => {
    const streamName = await newStream('large');
    const producer = new SyncProducer({ ...fakeOptions(fake), ringSizeBytes: 65_536 });
    const small = producer.putRecord({ streamName, partitionKey: 'a', data: bytes('small') });
    const large = producer.putRecord({ streamName, partitionKey: 'b', data: new Uint8Array(200_000).fill(1) });
    const after = producer.putRecord({ streamName, partitionKey: 'c', data: bytes('after') });
    producer.close(20_000);
    expect([small, large, after].map((outcome) => outcome.wait(0).successful)).toEqual([true, true, true]);
  });

  it('refuses puts after close with ProducerClosedError; close is idempotent', async () => {
    const streamName = await newStream('closed');
    const producer = new SyncProducer(fakeOptions(fake));
    producer.close(20_000);
    producer.close(20_000);
    const error = catchError(() => producer.putRecord({ streamName, partitionKey: 'k', data: bytes('late') }));
    expect(error).toBeInstanceOf(ProducerClosedError);
    expect(error).toMatchObject({ code: 'ERR_PRODUCER_CLOSED' });
  });
});

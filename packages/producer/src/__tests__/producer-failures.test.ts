import { describe, expect, it } from 'vitest';
import { classifyFailure, ERROR_CLASSES } from '../errors/classify.js';
import { RecordErrorCodes } from '../index.js';
import type { Outcome } from '../record/outcome.js';
import type { KinesisRecordEntry } from '@tskpl/agg-codec';
import { createFakeClock } from '../clock/fake-clock.js';
import { silentLogger } from '../config/logger.js';
import { Producer } from '../producer/producer.js';
import { advance, bytes, createHarness, results, storedUserRecords } from './harness.js';
import { awsError, FakeTransport } from '../testing/fake-transport.js';
import type { PutRecordsOptions, PutRecordsResponse, StreamRef } from '../transport/transport.js';

describe('retry classification (every row of the table)', () => {
  it.each(Object.entries(ERROR_CLASSES))('%s is %s', (code, expected) => {
    expect(classifyFailure(code)).toBe(expected);
  });

  it('classifies unknown codes by HTTP status: 429 throttled, other 4xx terminal, 5xx and network transient', () => {
    expect(classifyFailure('SomethingNew', 429)).toBe('throttled');
    expect(classifyFailure('SomethingNew', 403)).toBe('terminal');
    expect(classifyFailure('SomethingNew', 502)).toBe('transient');
    expect(classifyFailure('SomethingNew')).toBe('transient');
    expect(classifyFailure('__proto__')).toBe('transient');
  });
});

describe('Producer failures', () => {
  it('retries an entry that failed with InternalFailure and records both attempts', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    let failures = 1;
    transport.entryScript = () => (failures-- > 0 ? { errorCode: 'InternalFailure', errorMessage: 'boom' } : undefined);
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(true);
    expect(result!.attempts.map((attempt) => [attempt.successful, attempt.errorCode])).toEqual([[false, 'InternalFailure'], [true, undefined]]);
    expect(result!.attempts[1]!.delayMs).toBeGreaterThan(0);
  });

  it('backs off throttled records exponentially with jitter', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    let throttles = 4;
    transport.entryScript = () => (throttles-- > 0 ? { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow down' } : undefined);
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(true);
    expect(result!.attempts).toHaveLength(5);
    const delays = result!.attempts.slice(1, 5).map((attempt) => attempt.delayMs);
    // Equal jitter: retry n waits between base·2^(n-1)/2 and base·2^(n-1) (base 100 ms), plus batching.
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(50 * 2 ** index);
      expect(delay).toBeLessThanOrEqual(100 * 2 ** index + 150);
    });
  });

  it('fails throttled records at once when failIfThrottled is set', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { failIfThrottled: true });
    transport.entryScript = () => ({ errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow down' });
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(false);
    expect(result!.errorCode).toBe('ProvisionedThroughputExceededException');
    expect(result!.attempts).toHaveLength(1);
  });

  it.each(['AccessDeniedException', 'KMSDisabledException', 'UnrecognizedClientException'])('fails at once on the terminal request error %s', async (code) => {
    const { clock, transport, producer } = createHarness({ orders: 2 });
    transport.requestScript = () => awsError(code);
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 20; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes('x') }));
    const started = clock.now();
    const all = await results(clock, outcomes);
    expect(clock.now() - started).toBeLessThan(2_000);
    for (const result of all) {
      expect(result.successful).toBe(false);
      expect(result.errorCode).toBe(code);
    }
  });

  it('fails records for a stream that does not exist with ResourceNotFoundException within seconds', async () => {
    const { clock, producer } = createHarness({ orders: 1 });
    const outcome = await producer.putRecord({ streamName: 'missing', partitionKey: 'k', data: bytes('x') });
    const started = clock.now();
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(false);
    expect(result!.errorCode).toBe('ResourceNotFoundException');
    expect(clock.now() - started).toBeLessThan(3_000);
  });

  it('retries whole-request 5xx and network errors', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    transport.requestScripts.push(() => awsError('InternalFailureException', 500), () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(true);
    expect(result!.attempts.map((attempt) => attempt.errorCode)).toEqual(['InternalFailureException', 'ECONNRESET', undefined]);
  });

  it('bisects a request rejected as a whole so only the poison record fails', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { aggregationEnabled: false });
    const poison = bytes('poison');
    transport.requestScript = (call) => (call.entries.some((entry) => new TextDecoder().decode(entry.data) === 'poison') ? awsError('ValidationException') : undefined);
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 50; index++) {
      outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: index === 17 ? poison : bytes(`ok-${index}`) }));
    }
    const all = await results(clock, outcomes);
    all.forEach((result, index) => {
      expect(result.successful).toBe(index !== 17);
    });
    expect(all[17]!.errorCode).toBe('ValidationException');
    expect(transport.stream('orders').stored).toHaveLength(49);
  });

  it('bisects inside an aggregate rejected as a whole', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    transport.requestScript = (call) => (call.entries.some((entry) => Buffer.from(entry.data).includes('poison')) ? awsError('InvalidArgumentException') : undefined);
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 30; index++) {
      outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes(index === 3 ? 'poison' : `ok-${index}`) }));
    }
    const all = await results(clock, outcomes);
    expect(all.filter((result) => !result.successful)).toHaveLength(1);
    expect(all[3]!.successful).toBe(false);
  });

  it('fails every record of a response whose count does not match the request', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { aggregationEnabled: false });
    transport.requestScript = () => ({ records: [] });
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    const [result] = await results(clock, [outcome]);
    expect(result!.errorCode).toBe('Record Count Mismatch');
  });

  it('caps the attempt history, keeping the first and the latest attempts', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { maxAttemptHistory: 4, recordTtlMs: 600_000 });
    let failures = 9;
    transport.entryScript = () => (failures-- > 0 ? { errorCode: 'InternalFailure', errorMessage: `try ${9 - failures}` } : undefined);
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(true);
    expect(result!.attempts).toHaveLength(4);
    expect(result!.attemptsDropped).toBe(6);
    expect(result!.attempts[0]!.errorMessage).toBe('try 1');
    expect(result!.attempts[1]!.errorMessage).toBe('try 2');
    expect(result!.attempts[2]!.errorMessage).toBe('try 9');
    expect(result!.attempts[3]!.successful).toBe(true);
  });

  it('expires a record whose retries outlast its TTL', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { recordTtlMs: 1_000 });
    transport.entryScript = () => ({ errorCode: 'InternalFailure', errorMessage: 'down' });
    const outcome = await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: bytes('x') });
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(false);
    expect(result!.errorCode).toBe('Expired');
    expect(result!.errorCode).toBe(RecordErrorCodes.Expired);
    expect(result!.attempts.length).toBeGreaterThan(2);
  });

  it('expires records waiting in the send queue', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { maxConnections: 1, recordTtlMs: 500, aggregationEnabled: false, collectionMaxCount: 1 });
    transport.hold = true;
    const first = await producer.putRecord({ streamName: 'orders', partitionKey: 'k1', data: bytes('x') });
    const second = await producer.putRecord({ streamName: 'orders', partitionKey: 'k2', data: bytes('y') });
    await advance(clock, 1_000, 50);
    transport.release();
    const [, late] = await results(clock, [first, second]);
    expect(late!.successful).toBe(false);
    expect(late!.errorCode).toBe('Expired');
    expect(late!.errorMessage).toContain('send queue');
  });

  it('expires records waiting in the limiter', async () => {
    const { clock, producer } = createHarness({ orders: 1 }, { rateLimit: 1, recordTtlMs: 400, aggregationMaxCount: 1 });
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 1_050; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: 'same', data: bytes(`r${index}`) }));
    const all = await results(clock, outcomes);
    const expired = all.filter((result) => result.errorCode === 'Expired');
    expect(expired.length).toBeGreaterThan(0);
    expect(expired[0]!.errorMessage).toContain('limiter');
    expect(all.filter((result) => result.successful).length).toBeGreaterThan(0);
  });
});

describe('incident logging', () => {
  it('logs failures once per period with their count, never once per record', async () => {
    const warnings: string[] = [];
    const { clock, transport, producer } = createHarness({ orders: 1 }, { logger: { warn: (message) => warnings.push(message), error() {} } });
    transport.requestScript = () => awsError('AccessDeniedException');
    const outcomes: Outcome[] = [];
    for (let index = 0; index < 25; index++) outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes('x') }));
    await results(clock, outcomes);
    expect(warnings).toHaveLength(0);
    await advance(clock, 15_000, 500);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('25 records failed with AccessDeniedException');
    await producer.close();
    expect(warnings).toHaveLength(1);
  });
});

/** A fake that copies the entries first, as a transport writing its request body does, then says so. */
class BodyWritingTransport extends FakeTransport {
  /** Per call: whether every entry's bytes were let go of once `onBodyWritten` returned. */
  readonly releasedAfterWrite: boolean[] = [];

  override async putRecords(stream: StreamRef, entries: readonly KinesisRecordEntry[], options?: PutRecordsOptions): Promise<PutRecordsResponse> {
    const written = entries.map((entry) => ({ ...entry, data: Uint8Array.from(entry.data) }));
    options?.onBodyWritten?.();
    this.releasedAfterWrite.push(entries.every((entry) => entry.data.length === 0));
    return super.putRecords(stream, written);
  }
}

describe('Producer, with a transport that reports its body written', () => {
  it('lets go of the Kinesis records\' bytes then, and still re-sends every record whole after a failure', async () => {
    const clock = createFakeClock();
    const transport = new BodyWritingTransport({ orders: 2 });
    const producer = new Producer({ transport, clock, logger: silentLogger });
    // The first request fails as a whole, and one entry of the second fails alone: both are re-sent.
    transport.requestScripts.push(() => awsError('InternalFailureException', 500));
    let entryFailures = 1;
    transport.entryScript = (_entry, _index, call) => (transport.calls.indexOf(call) === 1 && entryFailures-- > 0 ? { errorCode: 'InternalFailure', errorMessage: 'boom' } : undefined);
    const outcomes: Outcome[] = [];
    const put = new Map<string, string>();
    for (let index = 0; index < 40; index++) {
      const data = `record-${index}-${'x'.repeat(index * 7)}`;
      put.set(`k${index}`, data);
      outcomes.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes(data) }));
    }
    const all = await results(clock, outcomes);
    expect(all.every((result) => result.successful)).toBe(true);
    expect(all.filter((result) => result.attempts.length > 1).length).toBeGreaterThan(0);
    expect(transport.calls.length).toBeGreaterThanOrEqual(3);
    expect(transport.releasedAfterWrite.every(Boolean)).toBe(true);
    const stored = storedUserRecords(transport, 'orders');
    expect(new Map(stored.map((record) => [record.partitionKey, record.data]))).toEqual(put);
    expect(stored).toHaveLength(40);
    // Sizes still count after the bytes are gone: the bytes put are those stored.
    const dataPut = producer.getMetrics('KinesisRecordsDataPut').filter((snapshot) => Object.keys(snapshot.dimensions).length === 1).reduce((total, snapshot) => total + snapshot.sum, 0);
    expect(dataPut).toBe(transport.stream('orders').stored.reduce((total, record) => total + record.entry.data.length, 0));
    await producer.close();
  });
});

import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock.js';
import { ConfigError, RecordFailedError, ValidationError } from '../errors/errors.js';
import { Producer } from '../producer/producer.js';
import type { Outcome } from '../record/outcome.js';
import { advance, bytes, createHarness, results, settle, storedUserRecords } from './harness.js';
import type { PutRecordInput } from '../producer/validate.js';

describe('putRecord input validation', () => {
  const good = { streamName: 'orders', partitionKey: 'k', data: bytes('x') };
  const cases: Array<[string, Partial<PutRecordInput> & Record<string, unknown>, string]> = [
    ['no stream', { streamName: undefined }, 'ERR_MISSING_STREAM'],
    ['blank stream', { streamName: '  ' }, 'ERR_MISSING_STREAM'],
    ['bad stream name', { streamName: 'has space' }, 'ERR_INVALID_STREAM'],
    ['bad stream ARN', { streamARN: 'arn:aws:s3:::bucket' }, 'ERR_INVALID_STREAM'],
    ['empty partition key', { partitionKey: '' }, 'ERR_INVALID_PARTITION_KEY'],
    ['257-character partition key', { partitionKey: 'k'.repeat(257) }, 'ERR_INVALID_PARTITION_KEY'],
    ['non-string partition key', { partitionKey: 42 as unknown as string }, 'ERR_INVALID_PARTITION_KEY'],
    ['negative explicit hash key', { explicitHashKey: '-1' }, 'ERR_INVALID_EXPLICIT_HASH_KEY'],
    ['hex explicit hash key', { explicitHashKey: '0x10' }, 'ERR_INVALID_EXPLICIT_HASH_KEY'],
    ['fractional explicit hash key', { explicitHashKey: '1.5' }, 'ERR_INVALID_EXPLICIT_HASH_KEY'],
    ['explicit hash key 2^128', { explicitHashKey: (1n << 128n).toString() }, 'ERR_INVALID_EXPLICIT_HASH_KEY'],
    ['string data', { data: 'text' as unknown as Uint8Array }, 'ERR_INVALID_DATA'],
    ['data over maxUserRecordSize', { data: new Uint8Array(1_048_577) }, 'ERR_RECORD_TOO_LARGE'],
    ['data + key over the stream limit', { data: new Uint8Array(1_048_576), partitionKey: 'kk' }, 'ERR_RECORD_TOO_LARGE'],
  ];

  it.each(cases)('rejects %s with a typed error before buffering anything', async (_name, change, code) => {
    const { clock, transport, producer } = createHarness({ orders: 1 });
    const rejected = producer.putRecord({ ...good, ...change } as PutRecordInput);
    await expect(rejected).rejects.toBeInstanceOf(ValidationError);
    await expect(rejected).rejects.toMatchObject({ code });
    expect(producer.outstandingRecords).toBe(0);
    // Neighbours are unaffected.
    const outcome = await producer.putRecord(good);
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(true);
    expect(transport.stream('orders').stored).toHaveLength(1);
  });

  it('accepts records up to the stream limit when the stream allows larger records', async () => {
    const { clock, transport, producer } = createHarness({}, { maxUserRecordSize: 4_194_304 });
    transport.addStream('big', 1).maxRecordSizeInKiB = 4096;
    const outcome = await producer.putRecord({ streamName: 'big', partitionKey: 'k', data: new Uint8Array(2_000_000) });
    const [result] = await results(clock, [outcome]);
    expect(result!.successful).toBe(true);
  });
});

describe('configuration', () => {
  it.each([
    ['recordTtlMs', 50, '100 … 2147483647'],
    ['collectionMaxCount', 501, '1 … 500'],
    ['aggregationMaxSize', 10, '64 … 10485760'],
    ['maxConnections', 0, '1 … 256'],
    ['rateLimit', 1.5, '1 … 100000'],
    ['metricsLevel', 'verbose', "'none', 'summary', 'detailed'"],
    ['region', 'nowhere', 'us-east-1'],
  ])('rejects %s = %s naming the option, the value and the range', (option, value, allowed) => {
    let error: unknown;
    try {
      new Producer({ [option]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe(option);
    expect((error as ConfigError).message).toContain(String(value));
    expect((error as ConfigError).message).toContain(allowed);
  });
});

describe('backpressure', () => {
  it('putRecord waits once maxOutstandingRecords are outstanding, and resumes as outcomes arrive', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { maxOutstandingRecords: 10 });
    transport.hold = true;
    const admitted: Outcome[] = [];
    for (let index = 0; index < 10; index++) admitted.push(await producer.putRecord({ streamName: 'orders', partitionKey: `k${index}`, data: bytes('x') }));
    let eleventh: Outcome | undefined;
    void producer.putRecord({ streamName: 'orders', partitionKey: 'k10', data: bytes('x') }).then((outcome) => {
      eleventh = outcome;
    });
    await advance(clock, 500);
    expect(eleventh).toBeUndefined();
    expect(producer.outstandingRecords).toBe(10);
    transport.release();
    await settle();
    await advance(clock, 10);
    expect(eleventh).toBeDefined();
    const all = await results(clock, [...admitted, eleventh!]);
    expect(all.every((result) => result.successful)).toBe(true);
  });

  it('bounds outstanding bytes too', async () => {
    const { clock, transport, producer } = createHarness({ orders: 1 }, { maxOutstandingBytes: 1_048_576 });
    transport.hold = true;
    await producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: new Uint8Array(600_000) });
    let second = false;
    void producer.putRecord({ streamName: 'orders', partitionKey: 'k', data: new Uint8Array(600_000) }).then(() => {
      second = true;
    });
    await advance(clock, 300);
    expect(second).toBe(false);
    transport.release();
    await advance(clock, 300);
    expect(second).toBe(true);
  });
});

describe('the Writable adapter', () => {
  it('pipes records with backpressure and finishes when every record has an outcome', async () => {
    const { Readable } = await import('node:stream');
    const { pipeline } = await import('node:stream/promises');
    const { transport, producer } = createHarness({ orders: 2 }, { recordMaxBufferedTimeMs: 0, clock: systemClock });
    const source = Readable.from(Array.from({ length: 100 }, (_, index) => ({ partitionKey: `k${index}`, data: bytes(`v${index}`) })));
    await pipeline(source, producer.writable({ streamName: 'orders' }));
    expect(storedUserRecords(transport, 'orders').map((record) => record.data).sort()).toEqual(Array.from({ length: 100 }, (_, index) => `v${index}`).sort());
    expect(producer.outstandingRecords).toBe(0);
  });

  it('ends the pipeline with a typed RecordFailedError carrying the failed record’s result', async () => {
    const { Readable } = await import('node:stream');
    const { pipeline } = await import('node:stream/promises');
    const { producer } = createHarness({ orders: 2 }, { recordMaxBufferedTimeMs: 0, clock: systemClock });
    const source = Readable.from([{ partitionKey: 'k', data: bytes('v') }]);
    const error = await pipeline(source, producer.writable({ streamName: 'missing' })).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(RecordFailedError);
    expect(error).toMatchObject({ code: 'ERR_RECORD_FAILED', result: { successful: false, errorCode: 'ResourceNotFoundException' } });
    await producer.close();
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@tskpl/producer';
import { SyncProducer } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { fakeOptions, startFakeKinesisThread, uniqueStreamName, type FakeKinesisThread } from './helpers/fake-kinesis-thread.js';
import { createTempApp, type TempApp } from './helpers/temp-app.js';

let fake: FakeKinesisThread;
let app: TempApp;
beforeAll(async () => {
  fake = await startFakeKinesisThread();
  app = createTempApp();
});
afterAll(async () => {
  app.remove();
  await fake.close();
});

describe('package-name module specifiers', () => {
  it('resolve from resolveFrom (the caller’s location), not from where the bridge is installed', () => {
    const sinkMarker = app.marker('resolve-sink');
    const loggerMarker = app.marker('resolve-logger');
    const legacyMarker = app.marker('resolve-legacy');
    const producer = new SyncProducer({
      ...fakeOptions(fake),
      resolveFrom: app.appDir,
      metricsSink: { module: '@acme/kpl-sink', export: 'createSink', options: { marker: sinkMarker } },
      logger: { module: '@acme/kpl-sink/logger', export: 'createLogger', options: { marker: loggerMarker } },
    });
    producer.close(20_000);
    // The package's "import" condition was chosen, as `import('@acme/kpl-sink')` from the app would.
    expect(readFileSync(sinkMarker, 'utf8')).toBe('esm');
    expect(readFileSync(loggerMarker, 'utf8')).toBe('logger');

    // A CommonJS package without exports, from a file: URL of a file in the app.
    const legacy = new SyncProducer({
      ...fakeOptions(fake),
      resolveFrom: new URL(`file://${app.appDir}/main.js`),
      metricsSink: { module: 'legacy-kpl-sink', export: 'createSink', options: { marker: legacyMarker } },
    });
    legacy.close(20_000);
    expect(readFileSync(legacyMarker, 'utf8')).toBe('legacy');
  });

  it('report a package that cannot be found as ConfigError naming the option and where it looked', () => {
    const error = catchError(() => new SyncProducer({ ...fakeOptions(fake), resolveFrom: app.appDir, metricsSink: { module: '@acme/not-installed' } }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_CONFIG', option: 'metricsSink.module' });
    expect((error as Error).message).toContain('@acme/not-installed');
    expect((error as Error).message).toContain(app.appDir);
    const badFrom = catchError(() => new SyncProducer({ ...fakeOptions(fake), resolveFrom: 42 as unknown as string }));
    expect(badFrom).toMatchObject({ option: 'resolveFrom' });
  });
});

it('exports the KPL metrics through an OpenTelemetry SDK the worker builds itself, read back after close', async () => {
  const streamName = uniqueStreamName('otel');
  await fake.createStream({ streamName, shardCount: 2 });
  const outputFile = app.marker('otel.json');
  const producer = new SyncProducer({
    ...fakeOptions(fake),
    metricsLevel: 'detailed',
    metricsGranularity: 'stream',
    metricsSink: { module: new URL('./fixtures/otel-metrics.mjs', import.meta.url), export: 'createOpenTelemetrySink', options: { meterName: 'orders-service', outputFile } },
  });
  const outcomes = Array.from({ length: 50 }, (_, index) => producer.putRecord({ streamName, partitionKey: `k${index}`, data: new Uint8Array([index]) }));
  producer.close(20_000);
  expect(outcomes.every((outcome) => outcome.wait(0).successful)).toBe(true);
  const metrics = JSON.parse(readFileSync(outputFile, 'utf8')) as Record<string, { scope: string; points: { attributes: Record<string, string>; value: number }[] }>;
  const received = metrics['kpl.UserRecordsReceived'];
  expect(received?.scope).toBe('orders-service');
  expect(received?.points.reduce((total, point) => total + point.value, 0)).toBe(50);
  expect(received?.points.every((point) => point.attributes['aws.kinesis.stream_name'] === streamName)).toBe(true);
  expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['kpl.UserRecordsPut', 'kpl.KinesisRecordsPut', 'kpl.BufferingTime']));
});

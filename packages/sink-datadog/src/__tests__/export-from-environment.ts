/**
 * Child script: a DatadogSink built with no host or port, so that hot-shots' own environment
 * handling (here DD_DOGSTATSD_PORT) decides where the metrics go. Exports one window, shuts down.
 */
import { DatadogSink } from '../index.js';

const sink = new DatadogSink({ globalTags: { run: 'child' } });
const put = { name: 'UserRecordsPut', unit: 'Count', dimensions: [{ name: 'StreamName', value: 'orders' }], sampleCount: 3, sum: 3, minimum: 1, maximum: 1 } as const;
await sink.export({ startTime: 0, endTime: 60_000, datums: [put], leafDatums: [put] });
await sink.shutdown();

// Event-loop time of one OpenTelemetrySink.export() per window, at 10^5 and 10^7 samples per
// window, against the OpenTelemetry SDK (delta temporality, collected after each export).
// Run: npm run build && node bench/export-bench.mjs [totalSamples,…] (RUNS=15 by default).
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { MAX_SAMPLES_PER_DATUM } from '@tskpl/producer';
import { OpenTelemetrySink } from '@tskpl/sink-otel';
import { exportWindow, measure, report } from './export-window.mjs';

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  async onForceFlush() {}
  async onShutdown() {}
}

const reader = new CollectingReader();
const sink = new OpenTelemetrySink({ meterProvider: new MeterProvider({ readers: [reader] }) });
const keep = sink.samplesPerDatum ?? MAX_SAMPLES_PER_DATUM;
const runs = Number(process.env.RUNS ?? 15);
for (const shape of ['mix', 'distributions']) {
  for (const totalSamples of (process.argv[2] ?? '100000,10000000').split(',').map(Number)) {
    const batch = exportWindow({ shape, totalSamples, keep });
    report('otel', shape, totalSamples, batch, await measure(runs, () => sink.export(batch), () => reader.collect()));
  }
}

// Event-loop time of one DatadogSink.export() per window, at 10^5 and 10^7 samples per window,
// to a local UDP "agent" (lines and packets received are counted; UDP may drop under load).
// Run: npm run build && node bench/export-bench.mjs [totalSamples,…] (RUNS=15 by default).
import { createSocket } from 'node:dgram';
import { MAX_SAMPLES_PER_DATUM } from '@tskpl/producer';
import { DatadogSink } from '@tskpl/sink-datadog';
import { exportWindow, measure, report } from '../../sink-otel/bench/export-window.mjs';

const agent = createSocket('udp4');
let packets = 0;
let lines = 0;
agent.on('message', (message) => {
  packets++;
  lines += message.toString().split('\n').length;
});
await new Promise((resolve) => agent.bind(0, '127.0.0.1', resolve));
const sink = new DatadogSink({ host: '127.0.0.1', port: agent.address().port });
const keep = sink.samplesPerDatum ?? MAX_SAMPLES_PER_DATUM;
const runs = Number(process.env.RUNS ?? 15);
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
for (const shape of ['mix', 'distributions']) {
  for (const totalSamples of (process.argv[2] ?? '100000,10000000').split(',').map(Number)) {
    const batch = exportWindow({ shape, totalSamples, keep });
    packets = 0;
    lines = 0;
    const timing = await measure(runs, () => sink.export(batch), settle);
    report('datadog', shape, totalSamples, batch, timing, `lines/window=${Math.round(lines / runs)} packets/window=${Math.round(packets / runs)}`);
  }
}
await sink.shutdown();
agent.close();

// The benchmark suite of issue 12: tskpl against what a user writes without it, run the way users
// run both, in the same run, alternating, several rounds. Runs the built packages.
//
//   npm run bench          full suite (< 10 min), writes bench/RESULTS.md and bench/charts/*.svg
//   npm run bench:quick    every scenario at tiny volume (< 60 s): checks that each runs and that
//                          every record put is delivered and consistent with the fake's ledger;
//                          writes nothing, says nothing about speed. CI runs it.
//
// Options: --quick, --only=<id,id> (scenario ids: throughput-4, throughput-64-100, throughput-64-1k,
// saturation, fleet, latency, memory, codec, sync-bridge, kinesis-local, ordering), --no-write.
// Exits 1 if any delivery check failed (goals missed do not fail it; RESULTS.md says which).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { startFakeHost } from './src/fake-client.mjs';
import * as scenarios from './src/scenarios.mjs';
import { barChart } from './src/svg.mjs';

// The SDK's notice that its releases after January 2027 need Node 22 (the producers' children inherit it).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const write = !quick && !args.includes('--no-write');
const only = args.find((arg) => arg.startsWith('--only='))?.slice(7).split(',');

const plan = quick
  ? {
      'throughput-4': { records: 3000, rounds: 1 },
      'throughput-64-100': { records: 3000, rounds: 1 },
      'throughput-64-1k': { records: 1000, rounds: 1 },
      saturation: { rounds: 1, warmUpMs: 500, windowMs: 1000, maxRecords: 4000 },
      fleet: { rounds: 1, warmUpMs: 500, windowMs: 1000, processes: 4, maxRecords: 1500 },
      latency: { rounds: 1, durationMs: 1000, ratePerSecond: 1000 },
      memory: { rounds: 1, records: 5000, latencyMs: 300 },
      codec: { rounds: 1, roundMs: 5, sizes: [100] },
      'sync-bridge': { rounds: 1, records: 2000 },
      'kinesis-local': { records: 300 },
      ordering: { rounds: 1, warmUpMs: 300, windowMs: 700, maxRecords: 40_000, latencies: [20], sizes: [] },
    }
  : {
      'throughput-4': { records: 200_000, rounds: 5 },
      'throughput-64-100': { records: 200_000, rounds: 3 },
      'throughput-64-1k': { records: 50_000, rounds: 3 },
      saturation: { rounds: 2, warmUpMs: 2000, windowMs: 8000 },
      fleet: { rounds: 2, warmUpMs: 2000, windowMs: 8000, processes: 4 },
      latency: { rounds: 2, durationMs: 5000, ratePerSecond: 1000 },
      memory: { rounds: 2, records: 100_000, latencyMs: 1500 },
      codec: { rounds: 7, roundMs: 200, sizes: [100, 1024] },
      'sync-bridge': { rounds: 3, records: 50_000 },
      'kinesis-local': { records: 2000 },
      ordering: { rounds: 2, warmUpMs: 2000, windowMs: 6000, latencies: [0, 20, 50], sizes: [51_200] },
    };

const runners = {
  'throughput-4': (fake, options) => scenarios.throughput(fake, { id: 'throughput-4', title: 'Throughput: 100 B, 4 shards, limits off', shardCount: 4, recordSize: 100, goalRatio: 3, ...options }),
  'throughput-64-100': (fake, options) => scenarios.throughput(fake, { id: 'throughput-64-100', title: 'Throughput: 100 B, 64 shards, limits off', shardCount: 64, recordSize: 100, goalRatio: 2, ...options }),
  'throughput-64-1k': (fake, options) => scenarios.throughput(fake, { id: 'throughput-64-1k', title: 'Throughput: 1 KiB, 64 shards, limits off', shardCount: 64, recordSize: 1024, goalRatio: 2, ...options }),
  saturation: scenarios.saturation,
  fleet: scenarios.fleet,
  latency: scenarios.latency,
  memory: scenarios.memory,
  codec: (_fake, options) => scenarios.codec(options),
  'sync-bridge': scenarios.syncBridge,
  'kinesis-local': (_fake, options) => scenarios.kinesisLocal(options),
  ordering: scenarios.ordering,
};

const readLoad = () => loadavg().map((value) => value.toFixed(2)).join(' ');
const cpuModel = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
})();

const startedAt = new Date();
const loadAtStart = readLoad();
const suiteStarted = performance.now();
const fake = await startFakeHost();
const sections = [];
try {
  for (const [id, options] of Object.entries(plan)) {
    if (only !== undefined && !only.includes(id)) continue;
    const began = performance.now();
    const section = await runners[id](fake, options);
    section.seconds = (performance.now() - began) / 1000;
    sections.push(section);
    const verdicts = section.rows.map((row) => `${row.metric}: ${row.baseline !== undefined && row.baseline !== '–' ? `baseline ${row.baseline}, tskpl ` : ''}${row.tskpl} (ratio ${row.ratio ?? '–'}; goal ${row.goal ?? '–'}: ${row.met ?? '–'})`);
    console.log(`\n[${id}] ${section.seconds.toFixed(1)} s, ${section.problems.length === 0 ? 'deliveries verified' : 'PROBLEMS'}`);
    for (const line of [...section.problems, ...(quick ? [] : verdicts)]) console.log(`  ${line}`);
  }
} finally {
  await fake.close();
}
const loadAtEnd = readLoad();
const totalSeconds = (performance.now() - suiteStarted) / 1000;
const problems = sections.flatMap((section) => section.problems);
console.log(`\n${sections.length} scenarios in ${totalSeconds.toFixed(0)} s; ${problems.length === 0 ? 'every delivery check passed' : `${problems.length} delivery check(s) FAILED`}`);

if (write) {
  const chartsDirectory = new URL('./charts/', import.meta.url);
  mkdirSync(chartsDirectory, { recursive: true });
  let report = '# Benchmark results\n\n';
  report += `Generated by \`npm run bench\` (bench/run.mjs) on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${totalSeconds.toFixed(0)} s. Everything down to "Notes" is written by the script from the data; do not edit it by hand.\n\n`;
  report += `Machine: CPU "${cpuModel}", ${availableParallelism()} cores (nproc), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}. `;
  report += `Load average (1, 5, 15 min) at start: ${loadAtStart}; at end: ${loadAtEnd}.\n\n`;
  report += 'How every comparison runs: the fake Kinesis (`@tskpl/testkit`) runs in its own child process; producers talk to it over loopback HTTP/1.1 with the real AWS SDK. ';
  report += 'tskpl: a fresh `Producer` per run with default options (and only the scenario\'s endpoint), no warm-up record, and per record `const o = await producer.putRecord(r); o.wait().then(count)`. ';
  report += 'Baseline: aws-kinesis-agg\'s `RecordAggregator` into ~50 KB records, `PutRecords` batches of ≤ 500 entries / ≤ 5 MiB, 8 requests in flight on a keep-alive agent, SDK `maxAttempts` 3, failed entries re-sent after 100 ms, a 100 ms linger timer (bench/src/baseline.mjs); its unaggregated variant sends user records straight into `PutRecords`. ';
  report += 'Each run is timed from before the producer is built until every record has its outcome, then checked against the fake\'s ledger: every record stored exactly once with its key, as many successes as records put. ';
  report += 'The ratio column is tskpl ÷ baseline computed within each round, median (min … max) over rounds; "met" judges the median.\n\n';
  report += '"Ideal packing" (saturation, fleet): the user records that arrived at the fake in the measuring window, taken per shard in arrival order and packed greedily into KPL aggregates of at most 51 200 B (`aggregationMaxSize`, framing counted with @tskpl/agg-codec\'s encoder), one aggregate per entry; the figure is the entries sent in the window (accepted + throttled + failed) ÷ that count.\n\n';
  report += '"Sent unaggregated": user records that reached the fake as plain entries rather than inside an aggregate (read from the ledger; a record alone in its aggregate window is sent plain, as the KPL does), in all and within the first second after the run\'s first arrival, which is the cold start (records put before the shard map is known).\n\n';
  report += '## Summary\n\n| scenario | metric | baseline | tskpl | ratio | goal | met |\n|---|---|---:|---:|---:|---|---|\n';
  for (const section of sections) {
    for (const row of section.rows.filter((row) => row.goal !== undefined && row.goal !== '–')) {
      report += `| ${section.title} | ${row.metric} | ${row.baseline ?? '–'} | ${row.tskpl ?? '–'} | ${row.ratio ?? '–'} | ${row.goal} | ${row.met} |\n`;
    }
  }
  for (const section of sections) {
    report += `\n## ${section.title}\n\n${section.method} (${section.seconds.toFixed(0)} s.)\n\n`;
    report += '| metric | baseline | tskpl | ratio | goal | met |\n|---|---:|---:|---:|---|---|\n';
    for (const row of section.rows) report += `| ${row.metric} | ${row.baseline ?? '–'} | ${row.tskpl ?? '–'} | ${row.ratio ?? '–'} | ${row.goal ?? '–'} | ${row.met ?? '–'} |\n`;
    report += section.problems.length === 0 ? '\nDeliveries verified.\n' : `\nDelivery checks FAILED:\n\n${section.problems.map((problem) => `- ${problem}`).join('\n')}\n`;
    for (const chart of section.charts) {
      writeFileSync(new URL(`${chart.name}.svg`, chartsDirectory), barChart(chart));
      report += `\n![${chart.title}](charts/${chart.name}.svg)\n`;
    }
  }
  // Keep the hand-written "## Notes" section (from its heading to the end) of the previous file.
  const target = new URL('./RESULTS.md', import.meta.url);
  let notes = '';
  try {
    const previous = readFileSync(target, 'utf8');
    const at = previous.indexOf('\n## Notes');
    if (at >= 0) notes = previous.slice(at);
  } catch {
    // no previous file
  }
  writeFileSync(target, report.trimEnd() + '\n' + notes);
  console.log(`wrote ${target.pathname}`);
}
process.exitCode = problems.length === 0 ? 0 : 1;

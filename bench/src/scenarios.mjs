// The scenarios of the benchmark suite. Each returns a section for the report:
// { id, title, method, rows: [{ metric, baseline, tskpl, ratio, goal, met }], charts, shipping, problems }.
// Every run is checked against the fake's ledger (or the emulator's stream); a check that fails
// is a problem, and any problem fails the suite, in quick mode and in full mode alike.
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { deaggregate } from '@tskpl/agg-codec';
import { runSync } from './sync-run.mjs';
import { startKinesisLocal } from '@tskpl/testkit';
import { CONTENDERS, drive } from './drive.mjs';
import { KEY_COUNT, readRecordId } from './records.mjs';
import { summarize, percentile, formatSpread, rate, ratio, percent, ms, bytes, mebibytes } from './stats.mjs';
import { userLoopCeiling } from './user-loop-ceiling.mjs';

const SHARD_BYTES_PER_SECOND = 1024 * 1024;
const DEFAULT_BUFFERED_TIME_MS = 100; // recordMaxBufferedTimeMs's default
const DEFAULT_AGGREGATION_MAX_SIZE = 51_200;
let streamCounter = 0;
const nextStream = (prefix) => `${prefix}-${++streamCounter}`;
const quietLogger = (sink) => ({ warn: (message) => sink.push(String(message)), error: (message) => sink.push(String(message)) });

/** Alternates the contenders' order round by round so neither always runs first. */
const order = (kinds, round) => (round % 2 === 0 ? kinds : [...kinds].reverse());

function checkDelivery(problems, label, result, verified, { expectedWriters } = {}) {
  const put = expectedWriters === undefined ? result.put : expectedWriters.reduce((sum, count) => sum + count, 0);
  const delivered = verified.userRecords - verified.duplicates - verified.unknown;
  const issues = [...(result.stuck ?? [])];
  if (result.ok !== put) issues.push(`${result.ok} of ${put} reported successful`);
  if (result.failed > 0) issues.push(`${result.failed} failed ${JSON.stringify(result.failures)}`);
  if (verified.missing > 0) issues.push(`${verified.missing} missing from the ledger`);
  if (verified.duplicates > 0) issues.push(`${verified.duplicates} stored twice`);
  if (verified.unknown > 0) issues.push(`${verified.unknown} unknown records stored`);
  if (verified.wrongKey > 0) issues.push(`${verified.wrongKey} stored with the wrong partition key`);
  if (delivered !== put) issues.push(`ledger holds ${delivered} distinct records, ${put} were put`);
  if (issues.length > 0) problems.push(`${label}: ${issues.join('; ')}`);
  return issues.length === 0;
}

function shippingOf(verified) {
  return {
    aggregatedShare: verified.userRecords === 0 ? NaN : verified.userRecordsAggregated / verified.userRecords,
    alone: verified.userRecordsAlone,
    aloneInFirstSecond: verified.aloneInFirstSecond,
  };
}

function shippingRows(shipping) {
  if (shipping.length === 0) return [];
  return [
    { metric: 'tskpl: share of user records sent aggregated', tskpl: formatSpread(summarize(shipping.map((s) => s.aggregatedShare)), percent) },
    {
      metric: 'tskpl: user records sent unaggregated, in all / in the first second (cold start)',
      tskpl: `${formatSpread(summarize(shipping.map((s) => s.alone)), rate)} / ${formatSpread(summarize(shipping.map((s) => s.aloneInFirstSecond)), rate)}`,
    },
  ];
}

function goalRow(metric, baselineSummary, tskplSummary, format, goal, meets, { showRatio = true, ratios } = {}) {
  const ratioSummary = ratios ?? summarize(tskplSummary.values.map((value, index) => value / baselineSummary.values[index]));
  return {
    metric,
    baseline: baselineSummary === undefined ? '–' : formatSpread(baselineSummary, format),
    tskpl: formatSpread(tskplSummary, format),
    ratio: showRatio && baselineSummary !== undefined ? formatSpread(ratioSummary, ratio) : '–',
    goal,
    met: meets === undefined ? '–' : meets ? 'yes' : '**no**',
    ratioSummary,
  };
}

// -------------------------------------------------------------------------------------------
export async function throughput(fake, { id, title, shardCount, recordSize, records, rounds, goalRatio }) {
  const problems = [];
  const rates = { baseline: [], 'baseline-unagg': [], tskpl: [], ceiling: [] };
  const ratios = { baseline: [], 'baseline-unagg': [], ceiling: [] };
  const shipping = [];
  for (let round = 0; round < rounds; round++) {
    const perRound = {};
    perRound.ceiling = await userLoopCeiling({ streamName: nextStream(id), recordSize, count: records });
    rates.ceiling.push(perRound.ceiling);
    for (const kind of order(['baseline', 'baseline-unagg', 'tskpl'], round)) {
      const streamName = nextStream(id);
      await fake.call('reset');
      await fake.call('createStream', { streamName, shardCount, enforceShardLimits: false });
      const warnings = [];
      const result = await drive({
        kind, endpoint: fake.endpoint, region: fake.region, streamName, recordSize, plan: { count: records },
        // Shard limits are off on the fake, so tskpl's own per-shard limiter is lifted too (the
        // baseline has none): otherwise its default 150 % of the shard limits (6 MiB/s on 4
        // shards, about 60 000 records/s of 100 B) would be what this measures.
        producerOptions: { logger: quietLogger(warnings), rateLimit: 100_000 },
      });
      const verified = await fake.call('verifyStream', { streamName, expected: [records], keyCount: KEY_COUNT });
      checkDelivery(problems, `${title}, round ${round + 1}, ${CONTENDERS[kind]}`, result, verified);
      perRound[kind] = (result.put / result.elapsedMs) * 1000;
      rates[kind].push(perRound[kind]);
      if (kind === 'tskpl') shipping.push(shippingOf(verified));
    }
    ratios.baseline.push(perRound.tskpl / perRound.baseline);
    ratios['baseline-unagg'].push(perRound.tskpl / perRound['baseline-unagg']);
    ratios.ceiling.push(perRound.ceiling / perRound.baseline);
  }
  const tskpl = summarize(rates.tskpl);
  const baseline = summarize(rates.baseline);
  const unaggregated = summarize(rates['baseline-unagg']);
  const vsBaseline = summarize(ratios.baseline);
  return {
    id, title, problems,
    method: `${formatNumber(records)} user records of ${recordSize} B per run, ${shardCount} shards, shard limits off (tskpl with rateLimit 100000, so that its own limiter is off too); ${rounds} rounds, the three contenders alternating; ratio = tskpl ÷ contender within each round, median (min … max) over rounds. The ceiling row runs the same user loop (new record, \`await putRecord\`, \`wait().then\`) against a producer whose promises resolve at once (bench/src/user-loop-ceiling.mjs), once per round in this process: no producer can exceed that rate, so its ratio to the baseline bounds the ratio any producer can reach here.`,
    rows: [
      goalRow('user records/s vs aws-kinesis-agg + PutRecords', baseline, tskpl, rate, `≥ ${goalRatio}×`, vsBaseline.median >= goalRatio, { ratios: vsBaseline }),
      goalRow('user records/s vs PutRecords unaggregated', unaggregated, tskpl, rate, '–', undefined, { ratios: summarize(ratios['baseline-unagg']) }),
      goalRow('ceiling: the user\'s loop alone, against a producer that does nothing (tskpl column), vs aws-kinesis-agg + PutRecords', baseline, summarize(rates.ceiling), rate, '–', undefined, { ratios: summarize(ratios.ceiling) }),
      ...shippingRows(shipping),
    ],
    charts: [{
      name: id, title: `${title}: user records/s`, unit: 'user records/s', format: rate,
      series: [
        { label: CONTENDERS.baseline, summary: baseline },
        { label: CONTENDERS['baseline-unagg'], summary: unaggregated },
        { label: CONTENDERS.tskpl, summary: tskpl },
      ],
    }],
  };
}

function formatNumber(value) {
  return value.toLocaleString('en-US');
}

// -------------------------------------------------------------------------------------------
/** One contender against a 4-shard stream with limits on, as fast as its backpressure allows. */
async function saturatedRun(fake, { kind, shardCount, recordSize, warmUpMs, windowMs, maxRecords, writers = 1, inProcesses = false, producerOptions = {} }) {
  const streamName = nextStream(`sat-${kind}`);
  await fake.call('reset');
  await fake.call('createStream', { streamName, shardCount, enforceShardLimits: true });
  const base = { kind, endpoint: fake.endpoint, region: fake.region, streamName, recordSize, plan: { durationMs: warmUpMs + windowMs, count: maxRecords } };
  let results;
  let startAtMs;
  if (inProcesses) {
    const members = await Promise.all(Array.from({ length: writers }, () => startProducerProcess()));
    startAtMs = Date.now() + 300;
    const snapshots = fake.call('snapshotsAt', { streamName, atMs: [startAtMs + warmUpMs, startAtMs + warmUpMs + windowMs] });
    results = await Promise.all(members.map((member, writer) => member.run({ ...base, writer, startAtMs })));
    results.snapshots = await snapshots;
  } else {
    startAtMs = Date.now();
    const snapshots = fake.call('snapshotsAt', { streamName, atMs: [startAtMs + warmUpMs, startAtMs + warmUpMs + windowMs] });
    const warnings = [];
    results = [await drive({ ...base, producerOptions: { logger: quietLogger(warnings), ...producerOptions } })];
    results.snapshots = await snapshots;
  }
  const [start, end] = results.snapshots;
  const windowSeconds = (end.now - start.now) / 1000;
  const delta = (field) => end.totals[field] - start.totals[field];
  const sent = delta('accepted') + delta('throttled') + delta('failed');
  const ideal = await fake.call('idealEntries', { streamName, fromMs: start.now, toMs: end.now, aggregationMaxSize: DEFAULT_AGGREGATION_MAX_SIZE });
  const verified = await fake.call('verifyStream', { streamName, expected: results.map((result) => result.put), keyCount: KEY_COUNT });
  const combined = results.reduce(
    (sum, result, writer) => ({
      put: sum.put + result.put, ok: sum.ok + result.ok, failed: sum.failed + result.failed, failures: { ...sum.failures, ...result.failures },
      stuck: [...sum.stuck, ...(result.stuck ?? []).map((text) => `writer ${writer}: ${text}`)],
    }),
    { put: 0, ok: 0, failed: 0, failures: {}, stuck: [] },
  );
  return {
    streamName, combined, verified, expected: results.map((result) => result.put),
    goodput: delta('acceptedBytes') / (shardCount * SHARD_BYTES_PER_SECOND * windowSeconds),
    throttledShare: sent === 0 ? NaN : delta('throttled') / sent,
    entriesPerIdeal: ideal.ideal === 0 ? NaN : sent / ideal.ideal,
    lost: verified.missing + combined.failed,
    windowSeconds,
  };
}

export async function saturation(fake, { rounds, warmUpMs, windowMs, maxRecords }) {
  const id = 'saturation';
  const title = 'Saturation: 4 shards, limits on, default options';
  const problems = [];
  const runs = { baseline: [], tskpl: [] };
  const shipping = [];
  for (let round = 0; round < rounds; round++) {
    for (const kind of order(['baseline', 'tskpl'], round)) {
      const run = await saturatedRun(fake, { kind, shardCount: 4, recordSize: 100, warmUpMs, windowMs, maxRecords });
      checkDelivery(problems, `${title}, round ${round + 1}, ${CONTENDERS[kind]}`, run.combined, run.verified);
      runs[kind].push(run);
      if (kind === 'tskpl') shipping.push(shippingOf(run.verified));
    }
  }
  const pick = (kind, field) => summarize(runs[kind].map((run) => run[field]));
  const goodput = pick('tskpl', 'goodput');
  const throttled = pick('tskpl', 'throttledShare');
  const packing = pick('tskpl', 'entriesPerIdeal');
  return {
    id, title, problems,
    method: `100 B records put as fast as each contender's backpressure allows for ${(warmUpMs + windowMs) / 1000} s; figures over the last ${windowMs / 1000} s (after ${warmUpMs / 1000} s of warm-up, so the shards' 1 s burst is spent), from counter snapshots the fake's process takes on its own timers. Capacity = 4 × 1 MiB/s of data + partition key. ${rounds} rounds, alternating.`,
    rows: [
      goalRow('goodput (accepted bytes ÷ capacity)', pick('baseline', 'goodput'), goodput, percent, '≥ 95 %', goodput.median >= 0.95),
      goalRow('entries throttled (÷ entries sent)', pick('baseline', 'throttledShare'), throttled, percent, '≤ 5 %', throttled.median <= 0.05, { showRatio: false }),
      goalRow('entries sent ÷ entries an ideal packing needs', pick('baseline', 'entriesPerIdeal'), packing, ratio, '≤ 1.1', packing.median <= 1.1, { showRatio: false }),
      goalRow('user records lost', pick('baseline', 'lost'), pick('tskpl', 'lost'), rate, '0', pick('tskpl', 'lost').max === 0, { showRatio: false }),
      ...shippingRows(shipping),
    ],
    charts: [
      { name: `${id}-goodput`, title: `${title}: goodput`, unit: 'accepted bytes ÷ capacity', format: percent, goal: { value: 0.95, label: 'goal 95 %' },
        series: [{ label: CONTENDERS.baseline, summary: pick('baseline', 'goodput') }, { label: CONTENDERS.tskpl, summary: goodput }] },
      { name: `${id}-throttled`, title: `${title}: entries throttled`, unit: 'throttled ÷ sent', format: percent, goal: { value: 0.05, label: 'goal ≤ 5 %' },
        series: [{ label: CONTENDERS.baseline, summary: pick('baseline', 'throttledShare') }, { label: CONTENDERS.tskpl, summary: throttled }] },
    ],
  };
}

export async function fleet(fake, { rounds, warmUpMs, windowMs, processes, maxRecords }) {
  const id = 'fleet';
  const title = `Fleet: ${processes} producer processes, one 4-shard stream, limits on`;
  const problems = [];
  const runs = { baseline: [], tskpl: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of order(['baseline', 'tskpl'], round)) {
      const run = await saturatedRun(fake, { kind, shardCount: 4, recordSize: 100, warmUpMs, windowMs, maxRecords, writers: processes, inProcesses: true });
      checkDelivery(problems, `${title}, round ${round + 1}, ${CONTENDERS[kind]}`, run.combined, run.verified, { expectedWriters: run.expected });
      runs[kind].push(run);
    }
  }
  const pick = (kind, field) => summarize(runs[kind].map((run) => run[field]));
  const goodput = pick('tskpl', 'goodput');
  const throttled = pick('tskpl', 'throttledShare');
  const lost = pick('tskpl', 'lost');
  return {
    id, title, problems,
    method: `${processes} processes each run one contender (100 B records, as fast as its backpressure allows, writer id in every record) against the same stream for ${(warmUpMs + windowMs) / 1000} s; figures over the last ${windowMs / 1000} s. Lost = records without a successful outcome or missing from the ledger after every process flushed. ${rounds} round(s), alternating.`,
    rows: [
      goalRow('goodput together (accepted bytes ÷ capacity)', pick('baseline', 'goodput'), goodput, percent, '≥ 90 %', goodput.median >= 0.9),
      goalRow('entries throttled (÷ entries sent)', pick('baseline', 'throttledShare'), throttled, percent, '≤ 10 %', throttled.median <= 0.1, { showRatio: false }),
      goalRow('entries sent ÷ entries an ideal packing needs', pick('baseline', 'entriesPerIdeal'), pick('tskpl', 'entriesPerIdeal'), ratio, '–', undefined, { showRatio: false }),
      goalRow('user records lost', pick('baseline', 'lost'), lost, rate, '0', lost.max === 0, { showRatio: false }),
      ...shippingRows(runs.tskpl.map((run) => shippingOf(run.verified))),
    ],
    charts: [{ name: id, title: `${title}: goodput`, unit: 'accepted bytes ÷ capacity', format: percent, goal: { value: 0.9, label: 'goal 90 %' },
      series: [{ label: CONTENDERS.baseline, summary: pick('baseline', 'goodput') }, { label: CONTENDERS.tskpl, summary: goodput }] }],
  };
}

// -------------------------------------------------------------------------------------------
/**
 * Ordered delivery (issue 16): goodput of ordering 'shard' next to 'none' at 0, 20 and 50 ms of
 * added PutRecords latency, and the aggregate sizes the ordered default was chosen from. Every
 * run is also read back per key: an ordered run with a reordering is a failed check.
 */
export async function ordering(fake, { rounds, warmUpMs, windowMs, maxRecords, latencies, sizes }) {
  const id = 'ordering';
  const title = "Ordered delivery: ordering 'shard' vs 'none', 4 shards, limits on, 100 B records";
  const problems = [];
  const contenders = [
    { label: "'none'", options: {} },
    { label: "'shard'", options: { ordering: 'shard' } },
    ...sizes.map((size) => ({ label: `'shard', aggregationMaxSize ${formatNumber(size)}`, options: { ordering: 'shard', aggregationMaxSize: size } })),
  ];
  const figures = new Map(contenders.map((contender) => [contender.label, new Map(latencies.map((latencyMs) => [latencyMs, { goodput: [], reorderings: [], throttled: [] }]))]));
  for (const latencyMs of latencies) {
    if (latencyMs > 0) await fake.call('latency', { ms: latencyMs });
    try {
      for (let round = 0; round < rounds; round++) {
        for (const contender of order(contenders, round)) {
          const run = await saturatedRun(fake, { kind: 'tskpl', shardCount: 4, recordSize: 100, warmUpMs, windowMs, maxRecords, producerOptions: contender.options });
          const label = `${title}, +${latencyMs} ms, ordering ${contender.label}, round ${round + 1}`;
          checkDelivery(problems, label, run.combined, run.verified);
          const read = await fake.call('verifyOrder', { streamName: run.streamName, keyCount: KEY_COUNT });
          if (contender.options.ordering === 'shard' && read.reorderings > 0) problems.push(`${label}: ${read.reorderings} records read after a later record of their key`);
          const cell = figures.get(contender.label).get(latencyMs);
          cell.goodput.push(run.goodput);
          cell.reorderings.push(read.reorderings);
          cell.throttled.push(run.throttledShare);
        }
      }
    } finally {
      await fake.call('clearFaults');
    }
  }
  const pick = (label, latencyMs, field) => summarize(figures.get(label).get(latencyMs)[field]);
  const rows = [];
  for (const latencyMs of latencies) {
    const none = pick("'none'", latencyMs, 'goodput');
    const shard = pick("'shard'", latencyMs, 'goodput');
    const goal = latencyMs === 20 ? '≥ 80 %' : '–';
    rows.push(goalRow(`+${latencyMs} ms: goodput (accepted bytes ÷ capacity), 'none' → 'shard'`, none, shard, percent, goal, latencyMs === 20 ? shard.median >= 0.8 : undefined));
    rows.push(goalRow(`+${latencyMs} ms: entries throttled (÷ entries sent)`, pick("'none'", latencyMs, 'throttled'), pick("'shard'", latencyMs, 'throttled'), percent, '–', undefined, { showRatio: false }));
    rows.push(goalRow(`+${latencyMs} ms: records read after a later record of their key`, pick("'none'", latencyMs, 'reorderings'), pick("'shard'", latencyMs, 'reorderings'), rate, "0 with 'shard'", pick("'shard'", latencyMs, 'reorderings').max === 0, { showRatio: false }));
    for (const contender of contenders.slice(2)) {
      rows.push(goalRow(`+${latencyMs} ms: goodput, ordering ${contender.label}`, none, pick(contender.label, latencyMs, 'goodput'), percent, '–', undefined));
    }
  }
  return {
    id, title, problems,
    method: `The saturation run (100 B records cycling through ${formatNumber(KEY_COUNT)} partition keys put as fast as backpressure allows, figures over the last ${windowMs / 1000} s after ${warmUpMs / 1000} s of warm-up; capacity = 4 × 1 MiB/s) with ordering 'none' (the "baseline" column) and 'shard' (the "tskpl" column; default aggregationMaxSize ${formatNumber(262_144)}), and 'shard' with other aggregate sizes, every PutRecords answer delayed by the added latency (the fake's latency fault) on top of loopback. Each run is read back as a KCL consumer reads it and checked per key for order. ${rounds} round(s), contenders alternating.`,
    rows,
    charts: [{
      name: id, title: `${title}: goodput`, unit: 'accepted bytes ÷ capacity', format: percent, goal: { value: 0.8, label: 'goal 80 % at +20 ms' },
      series: latencies.flatMap((latencyMs) => [
        { label: `'none', +${latencyMs} ms`, summary: pick("'none'", latencyMs, 'goodput') },
        { label: `'shard', +${latencyMs} ms`, summary: pick("'shard'", latencyMs, 'goodput') },
      ]),
    }],
  };
}

// -------------------------------------------------------------------------------------------
export async function latency(fake, { rounds, durationMs, ratePerSecond }) {
  const id = 'latency';
  const title = `Latency at light load (${ratePerSecond} records/s)`;
  const problems = [];
  const p50 = { baseline: [], tskpl: [] };
  const p99 = { baseline: [], tskpl: [] };
  const shipping = [];
  for (let round = 0; round < rounds; round++) {
    for (const kind of order(['baseline', 'tskpl'], round)) {
      const streamName = nextStream(id);
      await fake.call('reset');
      await fake.call('createStream', { streamName, shardCount: 4, enforceShardLimits: true });
      const warnings = [];
      const result = await drive({
        kind, endpoint: fake.endpoint, region: fake.region, streamName, recordSize: 100, plan: { ratePerSecond, durationMs },
        producerOptions: { logger: quietLogger(warnings) },
      });
      const verified = await fake.call('verifyStream', { streamName, expected: [result.put], keyCount: KEY_COUNT });
      checkDelivery(problems, `${title}, round ${round + 1}, ${CONTENDERS[kind]}`, result, verified);
      if (result.latencies.length !== result.ok) problems.push(`${title}: ${result.latencies.length} latencies for ${result.ok} records`);
      p50[kind].push(percentile(result.latencies, 50));
      p99[kind].push(percentile(result.latencies, 99));
      if (kind === 'tskpl') shipping.push(shippingOf(verified));
    }
  }
  const p50Goal = DEFAULT_BUFFERED_TIME_MS + 30;
  const p99Goal = 2 * p50Goal + 50;
  const tskpl50 = summarize(p50.tskpl);
  const tskpl99 = summarize(p99.tskpl);
  return {
    id, title, problems,
    method: `100 B records paced at ${ratePerSecond}/s for ${durationMs / 1000} s, 4 shards, limits on. Latency = from just before putRecord (baseline: add) to the record's outcome (baseline: its PutRecords answer). The baseline flushes on a 100 ms linger timer, as tskpl's recordMaxBufferedTimeMs (default ${DEFAULT_BUFFERED_TIME_MS} ms). ${rounds} rounds, alternating.`,
    rows: [
      goalRow('p50 latency', summarize(p50.baseline), tskpl50, ms, `≤ ${p50Goal} ms`, tskpl50.median <= p50Goal),
      goalRow('p99 latency', summarize(p99.baseline), tskpl99, ms, `≤ ${p99Goal} ms`, tskpl99.median <= p99Goal),
      ...shippingRows(shipping),
    ],
    charts: [{ name: id, title: `${title}: p50 and p99`, unit: 'ms', format: ms, goal: { value: p99Goal, label: `p99 goal ${p99Goal} ms` },
      series: [
        { label: `${CONTENDERS.baseline} p50`, summary: summarize(p50.baseline) },
        { label: `${CONTENDERS.tskpl} p50`, summary: tskpl50 },
        { label: `${CONTENDERS.baseline} p99`, summary: summarize(p99.baseline) },
        { label: `${CONTENDERS.tskpl} p99`, summary: tskpl99 },
      ] }],
  };
}

// -------------------------------------------------------------------------------------------
const producerProcessUrl = new URL('./producer-process.mjs', import.meta.url);

async function startProducerProcess({ exposeGc = false } = {}) {
  const child = fork(producerProcessUrl, [], { execArgv: exposeGc ? ['--expose-gc'] : [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
  });
  return {
    run: (run) =>
      new Promise((resolve, reject) => {
        child.once('message', (message) => (message.error === undefined ? resolve(message.result) : reject(new Error(message.error))));
        child.once('exit', (code) => code !== 0 && reject(new Error(`producer process exited with ${code}`)));
        child.send({ run });
      }),
  };
}

export async function memory(fake, { rounds, records, latencyMs }) {
  const id = 'memory';
  const title = `Memory: ${formatNumber(records)} outstanding records behind a ${latencyMs / 1000} s PutRecords latency`;
  const problems = [];
  const figures = { baseline: [], tskpl: [] };
  await fake.call('latency', { ms: latencyMs });
  try {
    for (let round = 0; round < rounds; round++) {
      for (const kind of order(['baseline', 'tskpl'], round)) {
        const streamName = nextStream(id);
        await fake.call('reset');
        await fake.call('createStream', { streamName, shardCount: 4, enforceShardLimits: false });
        const member = await startProducerProcess({ exposeGc: true });
        const result = await member.run({ kind, endpoint: fake.endpoint, region: fake.region, streamName, recordSize: 100, plan: { count: records }, measureHeap: true });
        const verified = await fake.call('verifyStream', { streamName, expected: [records], keyCount: KEY_COUNT });
        checkDelivery(problems, `${title}, round ${round + 1}, ${CONTENDERS[kind]}`, result, verified);
        const { before, admitted } = result;
        const outstanding = admitted.outstanding;
        figures[kind].push({
          rss: result.maxRssBytes,
          outstanding,
          heapPerRecord: (admitted.heapUsed - before.heapUsed) / outstanding,
          totalPerRecord: (admitted.heapUsed + admitted.arrayBuffers - before.heapUsed - before.arrayBuffers) / outstanding,
        });
      }
    }
  } finally {
    await fake.call('clearFaults');
  }
  const pick = (kind, field) => summarize(figures[kind].map((figure) => figure[field]));
  const rss = pick('tskpl', 'rss');
  const total = pick('tskpl', 'totalPerRecord');
  return {
    id, title, problems,
    method: `Each run in a fresh process (--expose-gc): ${formatNumber(records)} records of 100 B put as fast as admitted while every PutRecords answer is delayed ${latencyMs} ms by the fake. Memory per outstanding record = (heap used + array buffers, after a full GC, once every record is admitted) − (the same just before the producer is built), ÷ the records outstanding then; the goal allows 400 B + the record's 100 B of data. Peak RSS is the process's maxRSS. ${rounds} rounds, alternating.`,
    rows: [
      goalRow('records outstanding when measured', pick('baseline', 'outstanding'), pick('tskpl', 'outstanding'), rate, '–', undefined, { showRatio: false }),
      goalRow('peak RSS', pick('baseline', 'rss'), rss, mebibytes, '≤ 200 MiB', rss.median <= 200 * 2 ** 20),
      goalRow('heap + buffers per outstanding record', pick('baseline', 'totalPerRecord'), total, bytes, '≤ 500 B (400 B + 100 B data)', total.median <= 500),
      goalRow('of which JS heap', pick('baseline', 'heapPerRecord'), pick('tskpl', 'heapPerRecord'), bytes, '–', undefined),
    ],
    charts: [{ name: id, title: `${title}: peak RSS`, unit: 'MiB', format: (value) => formatNumber(Math.round(value / 2 ** 20)), goal: { value: 200 * 2 ** 20, label: 'goal 200 MiB' },
      series: [{ label: CONTENDERS.baseline, summary: pick('baseline', 'rss') }, { label: CONTENDERS.tskpl, summary: rss }] }],
  };
}

// -------------------------------------------------------------------------------------------
export async function codec({ rounds, roundMs, sizes }) {
  const id = 'codec';
  const title = 'Codec: encode / decode vs aws-kinesis-agg';
  const problems = [];
  const script = fileURLToPath(new URL('../../packages/agg-codec/bench/codec-bench.mjs', import.meta.url));
  const output = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, BENCH_ROUNDS: String(rounds), BENCH_ROUND_MS: String(roundMs), BENCH_SIZES: sizes.join(',') }, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`codec bench exited with ${code}`))));
  });
  // Rows of its ratio table: | 100 B | CPU time | builder | encodeAggregate | decode lambda | decode bytes | protobufjs |
  const parse = (cell) => {
    const numbers = [...cell.matchAll(/([\d.]+)×/g)].map((match) => Number(match[1]));
    return { median: numbers[0], min: numbers[1] ?? numbers[0], max: numbers[2] ?? numbers[0], values: [numbers[0]] };
  };
  const rows = [];
  const series = [];
  for (const size of sizes) {
    const line = output.split('\n').find((text) => text.startsWith(`| ${size} B | CPU time |`));
    if (line === undefined) {
      problems.push(`${title}: no CPU-time ratio row for ${size} B in the codec bench's output`);
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    for (const [metric, cell] of [['encode (AggregateBuilder)', cells[2]], ['decode (bytes)', cells[5]], ['decode (Lambda base64)', cells[4]]]) {
      const value = parse(cell);
      if (!Number.isFinite(value.median)) problems.push(`${title}: unreadable ratio "${cell}"`);
      rows.push({ metric: `${metric}, ${size} B records, CPU time (tskpl ÷ aws-kinesis-agg)`, baseline: '1×', tskpl: formatSpread({ ...value, values: [0, 0] }, ratio), ratio: formatSpread({ ...value, values: [0, 0] }, ratio), goal: '≥ 3×', met: value.median >= 3 ? 'yes' : '**no**', ratioSummary: value });
      series.push({ label: `${metric}, ${size} B`, summary: value });
    }
  }
  return {
    id, title, problems,
    method: `packages/agg-codec/bench/codec-bench.mjs run as a child process (${rounds} rounds of ≥ ${roundMs} ms per contender, interleaved); its per-round CPU-time ratios, median (min … max). Its full tables are in packages/agg-codec/bench/RESULTS.md when run with --write.`,
    rows,
    charts: [{ name: id, title: `${title} (tskpl ÷ aws-kinesis-agg)`, unit: 'ratio, CPU time', format: ratio, goal: { value: 3, label: 'goal 3×' }, series }],
  };
}

// -------------------------------------------------------------------------------------------
export async function syncBridge(fake, { rounds, records }) {
  const id = 'sync-bridge';
  const title = 'Sync bridge: SyncProducer vs async Producer';
  const problems = [];
  // fresh: each run in a process of its own, as a script runs (both start with cold code; the
  // sync bridge also starts its worker). warm: both in this process, where the async producer's
  // code is already optimised by earlier rounds and every SyncProducer's worker starts cold.
  const rates = { fresh: { async: [], sync: [] }, warm: { async: [], sync: [] } };
  // Limits off on the fake and in both producers (as in the throughput scenarios), so that the
  // bridge's own cost is what the ratio shows, not the default rate limit both would share.
  const producerOptions = { rateLimit: 100_000 };
  for (let round = 0; round < rounds; round++) {
    for (const where of ['fresh', 'warm']) {
      for (const kind of order(['async', 'sync'], round)) {
        const streamName = nextStream(id);
        await fake.call('reset');
        await fake.call('createStream', { streamName, shardCount: 4, enforceShardLimits: false });
        const run = { kind: kind === 'async' ? 'tskpl' : 'sync', endpoint: fake.endpoint, region: fake.region, streamName, recordSize: 100, plan: { count: records } };
        let result;
        if (where === 'fresh') {
          result = await (await startProducerProcess()).run({ ...run, producerOptions });
        } else if (kind === 'async') {
          result = await drive({ ...run, producerOptions: { ...producerOptions, logger: quietLogger([]) } });
        } else {
          result = runSync({ ...run, producerOptions });
        }
        const verified = await fake.call('verifyStream', { streamName, expected: [records], keyCount: KEY_COUNT });
        checkDelivery(problems, `${title}, round ${round + 1}, ${where} ${kind}`, result, verified);
        rates[where][kind].push((records / result.elapsedMs) * 1000);
      }
    }
  }
  const summaries = (where) => ({
    async: summarize(rates[where].async),
    sync: summarize(rates[where].sync),
    ratios: summarize(rates[where].sync.map((value, index) => value / rates[where].async[index])),
  });
  const fresh = summaries('fresh');
  const warm = summaries('warm');
  return {
    id, title, problems,
    method: `${formatNumber(records)} records of 100 B, 4 shards, limits off (both producers with rateLimit 100000). Async: the loop above, from \`new Producer\` to the last outcome. Sync: SyncProducer.putRecord for every record, flush(), then outcome.wait() for each, from \`new SyncProducer\` (which starts its worker) to the last outcome. Goal row: each run in a fresh process, as a script runs it, so both start with cold code. Second row: both in the bench's process, where the async producer's code is already optimised by the earlier rounds while each SyncProducer's worker starts cold (what a long-lived process that creates one SyncProducer per job would see). ${rounds} rounds, alternating. The "baseline" column is the async Producer here.`,
    rows: [
      { ...goalRow('user records/s, sync ÷ async, each in a fresh process', fresh.async, fresh.sync, rate, '≥ 0.5×', fresh.ratios.median >= 0.5, { ratios: fresh.ratios }) },
      { ...goalRow('user records/s, sync ÷ async, in one process (async code warm)', warm.async, warm.sync, rate, '–', undefined, { ratios: warm.ratios }) },
    ],
    charts: [{ name: id, title: `${title}: user records/s, each in a fresh process`, unit: 'user records/s', format: rate,
      series: [{ label: 'tskpl Producer (async)', summary: fresh.async }, { label: 'tskpl SyncProducer', summary: fresh.sync }] }],
  };
}

// -------------------------------------------------------------------------------------------
async function readEmulatorStream(client, streamName) {
  const { Shards } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const found = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    for (let empty = 0; iterator !== undefined && empty < 2; ) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      if (page.Records.length === 0) empty++;
      for (const record of page.Records) for (const part of deaggregate({ data: record.Data, partitionKey: record.PartitionKey })) found.push(part);
      iterator = page.NextShardIterator;
    }
  }
  return found;
}

export async function kinesisLocal({ records }) {
  const id = 'kinesis-local';
  const title = 'kinesis-local emulator, small volume (emulator-bound)';
  const problems = [];
  const emulator = await startKinesisLocal();
  const rates = {};
  try {
    const client = new KinesisClient({ ...emulator.clientConfig(), requestHandler: new NodeHttpHandler() });
    for (const kind of ['baseline', 'tskpl']) {
      const streamName = nextStream(`local-${kind}`);
      await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 2 }));
      for (let attempt = 0; ; attempt++) {
        const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
        if (summary.StreamStatus === 'ACTIVE') break;
        if (attempt > 100) throw new Error(`${streamName} not ACTIVE`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const warnings = [];
      const result = await drive({ kind, endpoint: emulator.endpoint, region: emulator.region, streamName, recordSize: 100, plan: { count: records }, producerOptions: { logger: quietLogger(warnings) } });
      const stored = await readEmulatorStream(client, streamName);
      const seen = new Uint8Array(records);
      let duplicates = 0;
      let unknown = 0;
      let wrongKey = 0;
      for (const part of stored) {
        const { writer, index } = readRecordId(part.data);
        if (writer !== 0 || index >= records) unknown++;
        else {
          if (seen[index] === 1) duplicates++;
          seen[index] = 1;
          if (part.partitionKey !== `pk-${index % KEY_COUNT}`) wrongKey++;
        }
      }
      const missing = seen.reduce((sum, mark) => sum + (mark === 0 ? 1 : 0), 0);
      checkDelivery(problems, `${title}, ${CONTENDERS[kind]}`, result, { userRecords: stored.length, duplicates, unknown, wrongKey, missing });
      rates[kind] = summarize([(result.put / result.elapsedMs) * 1000]);
    }
    client.destroy();
  } finally {
    await emulator.stop();
  }
  return {
    id, title, problems,
    method: `${formatNumber(records)} records of 100 B from each producer into its own 2-shard stream of kinesis-local (started by @tskpl/testkit's startKinesisLocal), then read back with GetRecords and deaggregated: every record present once with its key. The rate is the emulator's (about 1 MB/s), not the producers'.`,
    rows: [goalRow('user records/s (emulator-bound)', rates.baseline, rates.tskpl, rate, 'correct delivery', problems.length === 0)],
    charts: [],
  };
}

// A producer-shaped export window for the sink export benchmarks: one stream, granularity shard,
// level detailed. The "mix" window has 12 shards × 8 leaf series + 5 stream series (101, of which
// 27 are distributions); the "distributions" window has 50 shards × 2 distribution series (100).
// `totalSamples` are spread over the distribution series; each carries `min(perSeries, keep)`
// samples, as the producer hands them to a sink that asks for `keep` (the old producer: 10 000).
const DISTRIBUTIONS = new Set(['BufferingTime', 'UserRecordsPerKinesisRecord', 'RequestTime', 'KinesisRecordsPerPutRecordsRequest', 'UserRecordsPerPutRecordsRequest']);
const SHARD_METRICS = ['UserRecordsPut', 'UserRecordsDataPut', 'KinesisRecordsPut', 'KinesisRecordsDataPut', 'AllErrors', 'RetriesPerRecord', 'BufferingTime', 'UserRecordsPerKinesisRecord'];
const STREAM_METRICS = ['UserRecordsReceived', 'UserRecordsPending', 'RequestTime', 'KinesisRecordsPerPutRecordsRequest', 'UserRecordsPerPutRecordsRequest'];

export function exportWindow({ shape, totalSamples, keep }) {
  const stream = { name: 'StreamName', value: 'orders' };
  const specs = [];
  const shards = shape === 'mix' ? 12 : 50;
  const shardMetrics = shape === 'mix' ? SHARD_METRICS : ['BufferingTime', 'UserRecordsPerKinesisRecord'];
  for (let shard = 0; shard < shards; shard++) {
    for (const name of shardMetrics) specs.push({ name, dimensions: [stream, { name: 'ShardId', value: `shardId-${String(shard).padStart(12, '0')}` }] });
  }
  if (shape === 'mix') for (const name of STREAM_METRICS) specs.push({ name, dimensions: [stream] });
  const perSeries = Math.floor(totalSamples / specs.filter((spec) => DISTRIBUTIONS.has(spec.name)).length);
  const leafDatums = specs.map((spec) => {
    if (!DISTRIBUTIONS.has(spec.name)) return { ...spec, unit: 'Count', sampleCount: perSeries, sum: perSeries, minimum: 1, maximum: 1 };
    const samples = Array.from({ length: Math.min(perSeries, keep) }, (_, index) => 1 + ((index * 7919) % 500));
    return { ...spec, unit: 'Milliseconds', sampleCount: perSeries, sum: perSeries * 250, minimum: 1, maximum: 500, samples };
  });
  return { startTime: 0, endTime: 60_000, datums: leafDatums, leafDatums };
}

/** Runs `exportOnce` `runs` times (awaiting `between` after each) and returns the best and median synchronous time in ms. */
export async function measure(runs, exportOnce, between) {
  const times = [];
  for (let run = 0; run < runs; run++) {
    const startedAt = performance.now();
    const settled = exportOnce();
    times.push(performance.now() - startedAt);
    await settled;
    await between();
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)] };
}

export function report(sink, shape, totalSamples, batch, { best, median }, extra = '') {
  const per100 = (ms) => ((ms * 100) / batch.leafDatums.length).toFixed(2);
  console.log(`${sink} ${shape} samples/window=${totalSamples} series=${batch.leafDatums.length} best=${best.toFixed(2)} ms median=${median.toFixed(2)} ms per 100 series: best=${per100(best)} median=${per100(median)} ms ${extra}`);
}

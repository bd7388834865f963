// The README's demo: 20 000 records through the producer with a live progress line, everything
// read back and verified, a summary table. By default against a local Kinesis (kinesis-local, no
// AWS account); with --stream against a real, existing stream, with the same output.
//
//   npm run demo                                   (at the repository root; builds the packages first)
//   npm run demo -- --stream my-stream --region eu-west-1 --records 5000
//
// Run `npm run demo -- --help` for the flags.
import { Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Producer, type Outcome, type ProducerOptions, type RecordResult } from '@tskpl/producer';
import { startKinesisLocal, type KinesisLocal } from '@tskpl/testkit';
import { startProgressLine } from './demo/progress.js';
import { readStream } from './demo/read-back.js';
import { verify, type SentRecord } from './demo/verify.js';

const USAGE = `Usage: npm run demo [-- options]

  --records N       records to produce (default 20000)
  --stream NAME     produce to this existing Kinesis stream instead of a local emulator
  --region REGION   its region (default: AWS_REGION, else the SDK's region chain)
  --help            this text

Environment: KINESIS_ENDPOINT sends --stream's requests to that endpoint instead of AWS.

Without --stream the demo starts kinesis-local on a free loopback port and creates a 4-shard
stream. With --stream it uses your AWS credentials (the SDK's default chain), puts the records,
and reads the stream back from the time the run started (GetRecords at 5 calls/s per shard).`;

interface DemoFlags {
  readonly records: number;
  readonly stream: string | undefined;
  readonly region: string | undefined;
}

function parseFlags(argv: readonly string[]): DemoFlags | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: { records: { type: 'string' }, stream: { type: 'string' }, region: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return undefined;
  const records = Number(values.records ?? 20_000);
  if (!Number.isInteger(records) || records < 1) throw new Error(`--records must be a positive integer, got ${JSON.stringify(values.records)}`);
  return { records, stream: values.stream, region: values.region ?? process.env.AWS_REGION };
}

const LOCAL_STREAM = 'tskpl-demo';
const LOCAL_SHARDS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function makeRecords(count: number): SentRecord[] {
  const run = randomUUID().slice(0, 8); // payloads unique across runs, for a real stream that keeps older ones
  return Array.from({ length: count }, (_, index) => ({
    partitionKey: `customer-${index % 1_000}`,
    data: new TextEncoder().encode(JSON.stringify({ run, id: index, customer: index % 1_000, item: 'sku-0042', amount: (index % 97) + 0.5 }).padEnd(100)),
  }));
}

async function createStream(client: KinesisClient, streamName: string, shardCount: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  for (;;) {
    const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary?.StreamStatus === 'ACTIVE') return;
    await sleep(50);
  }
}

/** What producing measured: the results in put order and each record's put → outcome time. */
interface Produced {
  readonly results: RecordResult[];
  readonly latenciesMs: Float64Array;
  readonly seconds: number;
}

async function produce(producer: Producer, streamName: string, records: readonly SentRecord[]): Promise<Produced> {
  const tally = { put: 0, delivered: 0, failed: 0, retries: 0, throttled: 0 };
  const latenciesMs = new Float64Array(records.length);
  const progress = startProgressLine(process.stdout, () => ({ ...tally, outstanding: producer.outstandingRecords, total: records.length }));
  const started = performance.now();
  const track = (index: number, putAt: number, outcome: Outcome) =>
    outcome.wait().then((result) => {
      latenciesMs[index] = performance.now() - putAt;
      if (result.successful) tally.delivered += 1;
      else tally.failed += 1;
      tally.retries += Math.max(0, result.attempts.length + result.attemptsDropped - 1);
      for (const attempt of result.attempts) if (attempt.errorCode === 'ProvisionedThroughputExceededException') tally.throttled += 1;
      return result;
    });
  try {
    const waits: Promise<RecordResult>[] = [];
    for (const [index, record] of records.entries()) {
      const putAt = performance.now();
      const outcome = await producer.putRecord({ streamName, ...record }); // waits when the producer is full (backpressure)
      tally.put += 1;
      waits.push(track(index, putAt, outcome));
    }
    await producer.flush();
    const results = await Promise.all(waits);
    return { results, latenciesMs, seconds: (performance.now() - started) / 1000 };
  } finally {
    progress.stop();
  }
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0);
}

async function main(flags: DemoFlags): Promise<number> {
  const started = performance.now();
  const startedAt = new Date(Date.now() - 5_000); // read back from a little before the first put (clock skew)
  let emulator: KinesisLocal | undefined;
  let client: KinesisClient | undefined;
  let producer: Producer | undefined;
  const interrupted = new Promise<number>((resolve) => process.once('SIGINT', () => resolve(130)));
  const run = async (): Promise<number> => {
    const requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true }), requestTimeout: 30_000 });
    let streamName: string;
    let connection: Pick<ProducerOptions, 'region' | 'endpoint' | 'credentials'>;
    if (flags.stream === undefined) {
      console.log('Starting kinesis-local on a free loopback port…');
      emulator = await startKinesisLocal();
      console.log(`  ${emulator.endpoint} (kinesis-local ${emulator.version}, pid ${emulator.pid}, up in ${(emulator.startupMs / 1000).toFixed(1)} s)`);
      connection = emulator.clientConfig();
      client = new KinesisClient({ ...connection, requestHandler });
      streamName = LOCAL_STREAM;
      await createStream(client, streamName, LOCAL_SHARDS);
      console.log(`Created stream ${streamName} with ${LOCAL_SHARDS} shards.`);
    } else {
      // KINESIS_ENDPOINT (as in the other examples) points --stream at a Kinesis-compatible endpoint.
      const endpoint = process.env.KINESIS_ENDPOINT;
      connection = { ...(flags.region === undefined ? {} : { region: flags.region }), ...(endpoint ? { endpoint } : {}) };
      client = new KinesisClient({ ...connection, requestHandler });
      streamName = flags.stream;
      const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      console.log(`Using stream ${streamName} (${summary?.StreamModeDetails?.StreamMode ?? 'PROVISIONED'}, ${summary?.OpenShardCount ?? '?'} open shards, ${await client.config.region()}).`);
    }

    producer = new Producer({ ...connection, requestTimeoutMs: 30_000, metricsLevel: 'none' });
    const records = makeRecords(flags.records);
    console.log(`Producing ${records.length} records of ~100 bytes through @tskpl/producer…`);
    const { results, latenciesMs, seconds: produceSeconds } = await produce(producer, streamName, records);
    await producer.close();

    console.log('Reading the stream back and checking every result…');
    const readStarted = performance.now();
    const contents = await readStream(client, streamName, flags.stream === undefined ? {} : { from: startedAt, pauseMs: 200 });
    const readSeconds = (performance.now() - readStarted) / 1000;
    const verdict = verify(records, results, contents);
    const ok = verdict.delivered === records.length && verdict.misplaced === 0 && verdict.missing === 0;
    const sorted = latenciesMs.slice().sort();
    const throttled = results.reduce((sum, result) => sum + result.attempts.filter((attempt) => attempt.errorCode === 'ProvisionedThroughputExceededException').length, 0);

    const rows: [string, string][] = [
      ['delivered', `${verdict.delivered} / ${records.length} (failed ${verdict.failed})`],
      ['verified', `${verdict.delivered - verdict.misplaced} at the shard, sequence and sub-sequence number their result gives; ${verdict.misplaced} misplaced, ${verdict.missing} missing`],
      ['duplicates', `${verdict.duplicates} (Kinesis is at-least-once; counted, not an error)`],
      ['aggregated share', `${(verdict.delivered / Math.max(1, verdict.kinesisRecords)).toFixed(1)} user records per Kinesis record (${verdict.kinesisRecords} Kinesis records)`],
      ['shards', `${verdict.shards} of ${contents.shards}`],
      ['latency', `p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms, max ${percentile(sorted, 1).toFixed(0)} ms (putRecord → outcome)`],
      ['retries', `${verdict.retries} (throttled attempts ${throttled})`],
      ['throughput', `${Math.round(records.length / produceSeconds)} records/s (produce ${produceSeconds.toFixed(1)} s, read back ${readSeconds.toFixed(1)} s)`],
      ['elapsed', `${((performance.now() - started) / 1000).toFixed(1)} s`],
    ];
    console.log('');
    for (const [name, value] of rows) console.log(`  ${name.padEnd(17)} ${value}`);
    for (const problem of verdict.firstProblems) console.log(`  ! ${problem}`);
    console.log(ok ? '\nVerified: every record delivered where its result says.' : '\nVerification FAILED.');
    return ok ? 0 : 1;
  };
  try {
    const code = await Promise.race([run(), interrupted]);
    if (code === 130) console.log('\nInterrupted.');
    return code;
  } catch (error) {
    console.error('\nThe demo failed:', error);
    return 1;
  } finally {
    await producer?.close().catch(() => undefined);
    client?.destroy();
    await emulator?.stop();
  }
}

let flags: DemoFlags | undefined;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (flags === undefined) {
  console.log(USAGE);
} else {
  process.exitCode = await main(flags);
  // Anything still pending (an interrupted put, the emulator's pipes) must not keep the demo alive.
  process.exit();
}

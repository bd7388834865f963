// The README's demo: a local Kinesis (kinesis-local, no AWS account), 20 000 records through the
// producer with a live progress line, everything read back and verified, a short summary.
// Run it with `npm run demo` at the repository root (it builds the packages first).
import { Agent } from 'node:http';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Producer, type Outcome, type RecordResult } from '@tskpl/producer';
import { startKinesisLocal, type KinesisLocal } from '@tskpl/testkit';
import { startProgressLine } from './demo/progress.js';
import { readStream } from './demo/read-back.js';
import { verify, type SentRecord } from './demo/verify.js';

const RECORD_COUNT = 20_000;
const SHARD_COUNT = 4;
const STREAM_NAME = 'tskpl-demo';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function makeRecords(): SentRecord[] {
  return Array.from({ length: RECORD_COUNT }, (_, index) => ({
    partitionKey: `customer-${index % 1_000}`,
    data: new TextEncoder().encode(JSON.stringify({ id: index, customer: index % 1_000, item: 'sku-0042', amount: (index % 97) + 0.5 }).padEnd(100)),
  }));
}

async function createStream(client: KinesisClient): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: STREAM_NAME, ShardCount: SHARD_COUNT }));
  for (;;) {
    const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: STREAM_NAME }));
    if (summary?.StreamStatus === 'ACTIVE') return;
    await sleep(50);
  }
}

async function produce(producer: Producer, records: readonly SentRecord[]): Promise<RecordResult[]> {
  let put = 0;
  let delivered = 0;
  let failed = 0;
  const progress = startProgressLine(process.stdout, () => ({ put, delivered, failed, outstanding: producer.outstandingRecords, total: records.length }));
  const waits: Promise<RecordResult>[] = [];
  const track = (outcome: Outcome) =>
    outcome.wait().then((result) => {
      if (result.successful) delivered += 1;
      else failed += 1;
      return result;
    });
  try {
    // The first record alone: the producer learns the shard map (ListShards) meanwhile. Records
    // put before that answer wait for it only until their 100 ms buffering deadline and then go
    // out unaggregated; the emulator's first answer takes 0.5–2 s (AWS answers in tens of ms).
    const [first, ...rest] = records;
    if (first !== undefined) {
      const firstWait = track(await producer.putRecord({ streamName: STREAM_NAME, ...first }));
      put += 1;
      waits.push(firstWait);
      await firstWait;
    }
    for (const record of rest) {
      waits.push(track(await producer.putRecord({ streamName: STREAM_NAME, ...record }))); // waits when the producer is full
      put += 1;
    }
    await producer.flush();
    return await Promise.all(waits);
  } finally {
    progress.stop();
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  let emulator: KinesisLocal | undefined;
  let client: KinesisClient | undefined;
  let producer: Producer | undefined;
  const interrupted = new Promise<number>((resolve) => process.once('SIGINT', () => resolve(130)));
  const run = async (): Promise<number> => {
    console.log('Starting kinesis-local on a free loopback port…');
    emulator = await startKinesisLocal();
    console.log(`  ${emulator.endpoint} (kinesis-local ${emulator.version}, pid ${emulator.pid}, up in ${(emulator.startupMs / 1000).toFixed(1)} s)`);
    client = new KinesisClient({ ...emulator.clientConfig(), requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true }), requestTimeout: 30_000 }) });
    await createStream(client);
    console.log(`Created stream ${STREAM_NAME} with ${SHARD_COUNT} shards.`);

    producer = new Producer({ ...emulator.clientConfig(), requestTimeoutMs: 30_000, metricsLevel: 'none' });
    const records = makeRecords();
    console.log(`Producing ${records.length} records of ~100 bytes through @tskpl/producer…`);
    const produceStarted = performance.now();
    const results = await produce(producer, records);
    const produceSeconds = (performance.now() - produceStarted) / 1000;
    await producer.close();

    console.log('Reading the stream back and checking every result…');
    const readStarted = performance.now();
    const contents = await readStream(client, STREAM_NAME);
    const readSeconds = (performance.now() - readStarted) / 1000;
    const verdict = verify(records, results, contents);
    const ok = verdict.delivered === records.length && verdict.misplaced === 0 && verdict.missing === 0;

    console.log('');
    console.log(`  delivered         ${verdict.delivered} / ${records.length} (failed ${verdict.failed})`);
    console.log(`  verified          ${verdict.delivered - verdict.misplaced} at the shard, sequence and sub-sequence number their result gives; ${verdict.misplaced} misplaced, ${verdict.missing} missing`);
    console.log(`  duplicates        ${verdict.duplicates} (Kinesis is at-least-once; counted, not an error)`);
    console.log(`  aggregated share  ${(verdict.delivered / Math.max(1, verdict.kinesisRecords)).toFixed(1)} user records per Kinesis record (${verdict.kinesisRecords} Kinesis records; ${contents.kinesisRecords} stored in all)`);
    console.log(`  shards            ${verdict.shards} of ${SHARD_COUNT}`);
    console.log(`  retries           ${verdict.retries}`);
    console.log(`  elapsed           ${((performance.now() - started) / 1000).toFixed(1)} s (produce ${produceSeconds.toFixed(1)} s = ${Math.round(records.length / produceSeconds)} records/s, read back ${readSeconds.toFixed(1)} s)`);
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

process.exitCode = await main();
// Anything still pending (an interrupted put, the emulator's pipes) must not keep the demo alive.
process.exit();

// A Kinesis on loopback for trying the examples without AWS: the testkit's fake Kinesis (per-shard
// limits, a ledger of every stored record). Prints the environment for the other examples and,
// on Ctrl-C, how many records each stream holds.
//
// Run: node dist/fake-kinesis.js        (STREAM_NAME and SHARDS pick the stream it creates)
// then, in another terminal: export KINESIS_ENDPOINT=… (as printed) and run any example.
import { startFakeKinesis } from '@tskpl/testkit';

const streamName = process.env.STREAM_NAME ?? 'orders';
const fake = await startFakeKinesis({ port: Number(process.env.PORT ?? 0), streams: [{ streamName, shardCount: Number(process.env.SHARDS ?? 4) }] });
console.log(`export KINESIS_ENDPOINT=${fake.clientConfig().endpoint} STREAM_NAME=${streamName} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`);
process.once('SIGINT', () => {
  console.log(`\n${streamName}: ${fake.ledger.count(streamName)} records stored`);
  void fake.close();
});

import { PutRecordsCommand, ListShardsCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { expect, it } from 'vitest';
import { startHarness, entries } from '../__tests__/harness.js';

it('smoke', async () => {
  const { fake, client } = await startHarness({ streams: [{ streamName: 's', shardCount: 2 }] });
  const out = await client.send(new PutRecordsCommand({ StreamName: 's', Records: entries(5) }));
  console.log(out);
  console.log(JSON.stringify(await client.send(new ListShardsCommand({ StreamName: 's' })), null, 1));
  console.log(await client.send(new DescribeStreamSummaryCommand({ StreamName: 's' })));
  console.log(fake.counters(), fake.ledger.records('s')[0]);
  expect(out.FailedRecordCount).toBe(0);
});

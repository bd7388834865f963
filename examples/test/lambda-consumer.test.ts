// The Lambda consumer against events holding real KPL aggregates: the KPL-made Lambda events and
// aggregates of ../shared/fixtures/kpl-golden.json (beside the repository, when present) and
// aggregates written by @tskpl/agg-codec's encoder (byte-identical to the KPL's).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeAggregate, type DeaggregatedRecord } from '@tskpl/agg-codec';
import { describe, expect, it } from 'vitest';
import { createHandler, type KinesisStreamEvent } from '../src/lambda-consumer.js';

interface GoldenUserRecord { partitionKey: string; explicitHashKey?: string; data: string }
interface Golden {
  vectors: { name: string; records: GoldenUserRecord[]; blobBase64: string }[];
  events: { name: string; event: { kinesis?: KinesisStreamEvent['Records'][number]['kinesis'] }; expectedUserRecords: GoldenUserRecord[] }[];
}
const goldenPath = fileURLToPath(new URL('../../../shared/fixtures/kpl-golden.json', import.meta.url));
const golden = existsSync(goldenPath) ? (JSON.parse(readFileSync(goldenPath, 'utf8')) as Golden) : undefined;

type EventRecord = KinesisStreamEvent['Records'][number];
const sequenceNumber = (index: number) => `4958154495414391448025670093421036684010439534322489${String(7000 + index)}`;

/** A Lambda record around a Kinesis record's bytes, as Lambda delivers it (base64 data). */
function lambdaRecord(index: number, data: Uint8Array, partitionKey: string): EventRecord {
  const seq = sequenceNumber(index);
  return { eventID: `shardId-000000000000:${seq}`, kinesis: { data: Buffer.from(data).toString('base64'), partitionKey, sequenceNumber: seq } };
}

/** Three Kinesis records from tskpl's encoder: an aggregate of 3, a single record, an aggregate of 5. */
function encodedBatch(): { event: KinesisStreamEvent; expected: { partitionKey: string; data: string }[][] } {
  const groups = [3, 1, 5].map((size, group) =>
    Array.from({ length: size }, (_, index) => ({ partitionKey: `key-${group}-${index}`, data: new TextEncoder().encode(`payload ${group}.${index}`) })),
  );
  const Records = groups.map((records, index) => {
    const entry = encodeAggregate(records);
    return lambdaRecord(index, entry.data, entry.partitionKey);
  });
  const expected = groups.map((records) => records.map((record) => ({ partitionKey: record.partitionKey, data: Buffer.from(record.data).toString('utf8') })));
  return { event: { Records }, expected };
}

function collecting(failOn?: (record: DeaggregatedRecord) => boolean) {
  const seen: { partitionKey: string; data: string }[] = [];
  const handler = createHandler((record) => {
    if (failOn?.(record)) throw new Error(`cannot process ${record.partitionKey}`);
    seen.push({ partitionKey: record.partitionKey, data: Buffer.from(record.data).toString('utf8') });
  });
  return { seen, handler };
}

describe('examples/src/lambda-consumer.ts', () => {
  it('deaggregates every Kinesis record of the event, in order, and reports no failure', async () => {
    const { event, expected } = encodedBatch();
    const { seen, handler } = collecting();
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(expected.flat());
  });

  it('reports the sequence number of the first Kinesis record with a failing user record, and stops there', async () => {
    const { event, expected } = encodedBatch();
    const { seen, handler } = collecting((record) => record.partitionKey === 'key-2-3'); // 4th user record of the 3rd Kinesis record
    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(2) }] });
    expect(seen).toEqual([...expected[0]!, ...expected[1]!, ...expected[2]!.slice(0, 3)]);
  });

  it('a failure in a record that was not aggregated is keyed by that record', async () => {
    const { event } = encodedBatch();
    const { handler } = collecting((record) => record.partitionKey === 'key-1-0');
    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(1) }] });
  });

  describe.skipIf(golden === undefined)('with KPL-made aggregates (../shared/fixtures/kpl-golden.json)', () => {
    const lambdaEvents = (golden?.events ?? []).filter((entry) => entry.event.kinesis !== undefined);
    const event: KinesisStreamEvent = {
      Records: [
        ...lambdaEvents.map((entry) => ({ kinesis: entry.event.kinesis! })),
        ...(golden?.vectors ?? []).map((vector, index) => lambdaRecord(index, Buffer.from(vector.blobBase64, 'base64'), 'a')),
      ],
    };
    const expected = [
      ...lambdaEvents.map((entry) => entry.expectedUserRecords),
      ...(golden?.vectors ?? []).map((vector) => vector.records),
    ].map((records) => records.map((record) => ({ partitionKey: record.partitionKey, data: record.data })));

    it('processes the KPL\'s Lambda events and aggregates record by record', async () => {
      expect(lambdaEvents.length).toBeGreaterThanOrEqual(2);
      const { seen, handler } = collecting();
      expect(await handler(event)).toEqual({ batchItemFailures: [] });
      expect(seen).toEqual(expected.flat());
    });

    it('keys a failure inside a KPL aggregate by the sequence number Lambda gave that record', async () => {
      const target = expected[1]![2]!; // third user record of the second KPL event
      const { seen, handler } = collecting((record) => record.partitionKey === target.partitionKey && Buffer.from(record.data).toString('utf8') === target.data);
      expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: lambdaEvents[1]!.event.kinesis!.sequenceNumber }] });
      expect(seen).toEqual([...expected[0]!, ...expected[1]!.slice(0, 2)]);
    });
  });
});

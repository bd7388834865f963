import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AggregateBuilder, deaggregate, encodeAggregate, hashKeyOf } from './index.js';
import type { UserRecord } from './index.js';
import { decodeWithProtobufjs, encodeProtobufWithProtobufjs } from './__tests__/aggregate-proto.js';

interface AwsAggUserRecord {
  partitionKey: string;
  explicitPartitionKey?: string;
  subSequenceNumber: number;
  data: string;
}
interface AwsAggModule {
  deaggregateSync(record: object, computeChecksums: boolean, done: (error: Error | null, records?: AwsAggUserRecord[]) => void): void;
  RecordAggregator: new () => {
    addUserRecord(record: { partitionKey: string; explicitHashKey?: string; data: Buffer }): void;
    build(): { partitionKey: string; data: Buffer; ExplicitHashKey?: string };
  };
}
const awsAgg = createRequire(import.meta.url)('aws-kinesis-agg') as AwsAggModule;

const MAX = (1n << 128n) - 1n;
const tricky = fc.constantFrom('10', '0', '__proto__', 'constructor', 'é', '😀', 'a', 'toString');
const partitionKey = fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }));
const explicitHashKey = fc.oneof(fc.constantFrom('0', '42', MAX.toString()), fc.bigInt({ min: 0n, max: MAX }).map(String));
const userRecord: fc.Arbitrary<UserRecord> = fc
  .record({ partitionKey, explicitHashKey: fc.option(explicitHashKey, { nil: undefined }), data: fc.uint8Array({ maxLength: 200 }) })
  .map(({ explicitHashKey: key, ...rest }) => (key === undefined ? rest : { ...rest, explicitHashKey: key }));
const aggregate = fc.array(userRecord, { minLength: 2, maxLength: 30 });

const plain = (records: readonly { partitionKey: string; explicitHashKey?: string; data: Uint8Array }[]): UserRecord[] =>
  records.map((record) => {
    const out: UserRecord = { partitionKey: record.partitionKey, data: new Uint8Array(record.data) };
    if (record.explicitHashKey !== undefined) out.explicitHashKey = record.explicitHashKey;
    return out;
  });

/** The KPL's running estimate (docs/kpl-compatibility.md, "Size accounting"), recomputed from scratch. */
function kplEstimate(records: readonly UserRecord[]): number {
  const partitionKeys = new Set<string>();
  const explicitHashKeys = new Set<string>();
  let total = 0;
  for (const record of records) {
    total += record.data.length + 3 + 2;
    if (!partitionKeys.has(record.partitionKey)) total += Buffer.byteLength(record.partitionKey) + 3;
    partitionKeys.add(record.partitionKey);
    if (record.explicitHashKey !== undefined) {
      total += 2;
      if (!explicitHashKeys.has(record.explicitHashKey)) total += record.explicitHashKey.length + 3;
      explicitHashKeys.add(record.explicitHashKey);
    }
  }
  return total;
}

describe('properties', () => {
  it('round trip: deaggregate(encodeAggregate(records)) returns the records in order', () => {
    fc.assert(
      fc.property(aggregate, (records) => {
        const entry = encodeAggregate(records);
        const decoded = deaggregate({ ...entry, sequenceNumber: '1' }, { strict: true });
        expect(plain(decoded)).toEqual(plain(records));
        expect(decoded.map((record) => record.subSequenceNumber)).toEqual(records.map((_, index) => index));
        expect(entry.explicitHashKey).toBe(hashKeyOf(records[0]!.partitionKey, records[0]!.explicitHashKey));
      }),
    );
  });

  it('one record is sent raw and deaggregates to itself', () => {
    fc.assert(
      fc.property(userRecord, (record) => {
        const entry = encodeAggregate([record]);
        expect(entry).toEqual({ partitionKey: record.partitionKey, explicitHashKey: hashKeyOf(record.partitionKey, record.explicitHashKey), data: record.data });
      }),
    );
  });

  it('protobufjs (from the .proto text) decodes our output to the same records, and encodes the same bytes', () => {
    fc.assert(
      fc.property(aggregate, (records) => {
        const blob = encodeAggregate(records).data;
        expect(decodeWithProtobufjs(blob)).toEqual(plain(records));
        const protobuf = encodeProtobufWithProtobufjs(records);
        const expected = Buffer.concat([Buffer.from('f3899ac2', 'hex'), protobuf, createHash('md5').update(protobuf).digest()]);
        expect(Buffer.from(blob).equals(expected)).toBe(true);
      }),
    );
  });

  it('builder: size === build().data.length and sizeWith(r) === size after add(r), over random add/removeLast sequences', () => {
    const operation = fc.oneof({ arbitrary: userRecord, weight: 3 }, { arbitrary: fc.constant('remove' as const), weight: 1 });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const builder = new AggregateBuilder();
        const current: UserRecord[] = [];
        for (const step of operations) {
          if (step === 'remove') {
            expect(builder.removeLast()).toBe(current.pop());
          } else {
            const predicted = builder.sizeWith(step);
            builder.add(step);
            current.push(step);
            expect(builder.size).toBe(predicted);
          }
          expect(builder.count).toBe(current.length);
          if (current.length === 0) {
            expect(builder.size).toBe(0);
            continue;
          }
          const built = builder.build();
          expect(builder.size).toBe(built.data.length);
          expect(Buffer.from(built.data).equals(Buffer.from(encodeAggregate(current).data))).toBe(true);
          expect(builder.estimatedSize).toBe(current.length >= 2 ? kplEstimate(current) : builder.size);
        }
      }),
    );
  });
});

/*
 * aws-kinesis-agg keeps its key tables in plain objects and orders them with Object.keys, so it
 * is only correct for keys that are not array indices ("0", "10", and any EHK below 2^32 − 1),
 * not "__proto__" and not Object.prototype names ("hasOwnProperty" breaks it outright). Its
 * decoder ignores proto2 presence and gives records without an EHK the table's first EHK.
 */
const safePartitionKey = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((key) => `k:${key}`);
const safeExplicitHashKey = fc.bigInt({ min: 1n << 32n, max: MAX }).map(String);
const safeRecord = fc.record({ partitionKey: safePartitionKey, explicitHashKey: safeExplicitHashKey, data: fc.uint8Array({ maxLength: 200 }) });
const safeRecordNoKey = fc.record({ partitionKey: safePartitionKey, data: fc.uint8Array({ maxLength: 200 }) });

describe('interoperability with aws-kinesis-agg (devDependency oracle)', () => {
  const decodeWithAwsAgg = (data: Uint8Array): AwsAggUserRecord[] => {
    let result: AwsAggUserRecord[] = [];
    awsAgg.deaggregateSync({ data: Buffer.from(data).toString('base64'), partitionKey: 'a', sequenceNumber: '1' }, true, (error, records) => {
      if (error) throw error;
      result = records ?? [];
    });
    return result;
  };

  it('aws-kinesis-agg decodes our aggregates to the same records', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(safeRecord, { minLength: 2, maxLength: 20 }), fc.array(safeRecordNoKey, { minLength: 2, maxLength: 20 })), (records) => {
        const decoded = decodeWithAwsAgg(encodeAggregate(records).data);
        expect(decoded.map((record) => ({ partitionKey: record.partitionKey, data: record.data, explicitHashKey: record.explicitPartitionKey }))).toEqual(
          records.map((record) => ({
            partitionKey: record.partitionKey,
            data: Buffer.from(record.data).toString('base64'),
            explicitHashKey: 'explicitHashKey' in record ? record.explicitHashKey : undefined,
          })),
        );
      }),
    );
  });

  it('we decode aws-kinesis-agg aggregates to the same records, and its bytes equal ours', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(safeRecord, safeRecordNoKey), { minLength: 1, maxLength: 20 }), (records) => {
        const aggregator = new awsAgg.RecordAggregator();
        for (const record of records) aggregator.addUserRecord({ ...record, data: Buffer.from(record.data) });
        const built = aggregator.build();
        const decoded = deaggregate({ data: built.data, partitionKey: built.partitionKey }, { strict: true });
        expect(plain(decoded)).toEqual(plain(records));
        if (records.length >= 2) expect(built.data.equals(Buffer.from(encodeAggregate(records).data))).toBe(true);
      }),
    );
  });

  it('documents where aws-kinesis-agg differs: numeric-looking keys are reordered by its tables', () => {
    const aggregator = new awsAgg.RecordAggregator();
    const records = [
      { partitionKey: '10', data: Buffer.from('a') },
      { partitionKey: '0', data: Buffer.from('b') },
    ];
    for (const record of records) aggregator.addUserRecord(record);
    const theirs = deaggregate({ data: aggregator.build().data, partitionKey: 'a' }).map((record) => record.partitionKey);
    const ours = deaggregate({ ...encodeAggregate(records) }).map((record) => record.partitionKey);
    expect(ours).toEqual(['10', '0']);
    expect(theirs).toEqual(['0', '10']); // its own keys come back swapped
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deaggregate, encodeAggregate, hashKeyOf, MAX_HASH_KEY } from '../index.js';
import type { CodecError, DeaggregateOptions } from '../index.js';
import { utf8 } from '../__tests__/golden-fixture.js';

const MAGIC = Buffer.from('f3899ac2', 'hex');
/** Wraps protobuf bytes as a KPL aggregate with a correct MD5 trailer. */
const wrap = (protobufHex: string): Buffer => {
  const protobuf = Buffer.from(protobufHex, 'hex');
  return Buffer.concat([MAGIC, protobuf, createHash('md5').update(protobuf).digest()]);
};

const sample = encodeAggregate([
  { partitionKey: 'alpha', data: utf8('hello') },
  { partitionKey: 'beta', explicitHashKey: '42', data: utf8('world') },
]);

function strictCode(record: Parameters<typeof deaggregate>[0], options: DeaggregateOptions = {}): string | undefined {
  try {
    deaggregate(record, { ...options, strict: true });
  } catch (error) {
    return (error as CodecError).code;
  }
  return undefined;
}

function expectPassThrough(data: Uint8Array, code: string): void {
  const input = { data, partitionKey: 'pk', sequenceNumber: '7' };
  expect(deaggregate(input)).toEqual([{ partitionKey: 'pk', data: new Uint8Array(data), aggregated: false, subSequenceNumber: 0, sequenceNumber: '7' }]);
  expect(strictCode(input)).toBe(code);
}

describe('deaggregate', () => {
  it('returns sub-records with sub-sequence numbers and EHKs only where the aggregate has them', () => {
    expect(deaggregate({ data: sample.data, partitionKey: 'a', sequenceNumber: '123' })).toEqual([
      { partitionKey: 'alpha', data: utf8('hello'), aggregated: true, subSequenceNumber: 0, sequenceNumber: '123' },
      { partitionKey: 'beta', explicitHashKey: '42', data: utf8('world'), aggregated: true, subSequenceNumber: 1, sequenceNumber: '123' },
    ]);
  });

  it('returns data as Uint8Array views into the input and leaves absent fields absent', () => {
    const input = Buffer.concat([Buffer.alloc(7), sample.data]).subarray(7);
    const [first, second] = deaggregate({ data: input, partitionKey: 'a' });
    expect(first?.data).toBeInstanceOf(Uint8Array);
    expect(first?.data.buffer).toBe(input.buffer);
    input[input.indexOf('hello') + 1] = 0x61; // the view sees later writes to the input
    expect(Buffer.from(first!.data).toString()).toBe('hallo');
    expect(Object.keys(first!)).toEqual(['partitionKey', 'data', 'aggregated', 'subSequenceNumber']);
    expect(Object.keys(second!)).toEqual(['partitionKey', 'explicitHashKey', 'data', 'aggregated', 'subSequenceNumber']);
  });

  it('accepts an SDK Record, a Lambda event record and a preprocessing record', () => {
    const expected = deaggregate({ data: sample.data, partitionKey: 'a', sequenceNumber: '9' });
    const base64 = Buffer.from(sample.data).toString('base64');
    expect(deaggregate({ Data: sample.data, PartitionKey: 'a', SequenceNumber: '9' })).toEqual(expected);
    expect(deaggregate({ kinesis: { data: base64, partitionKey: 'a', sequenceNumber: '9' } })).toEqual(expected);
    expect(deaggregate({ data: base64, kinesisRecordMetadata: { partitionKey: 'a', sequenceNumber: '9' } })).toEqual(expected);
    expect(() => deaggregate({ nothing: true } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_RECORD' }));
  });

  it('passes through records without the magic or too short to be an aggregate', () => {
    expectPassThrough(utf8('plain user data'), 'ERR_NOT_AGGREGATE');
    expectPassThrough(new Uint8Array(0), 'ERR_NOT_AGGREGATE');
    expectPassThrough(MAGIC, 'ERR_NOT_AGGREGATE');
    expectPassThrough(wrap(''), 'ERR_NOT_AGGREGATE'); // exactly 20 bytes: the KCL needs more
  });

  it('keeps the outer explicit hash key on a passed-through record', () => {
    expect(deaggregate({ data: utf8('x'), partitionKey: 'pk', explicitHashKey: '5' })[0]?.explicitHashKey).toBe('5');
  });

  it('passes through a record whose MD5 trailer does not match', () => {
    const corrupt = Buffer.from(sample.data);
    corrupt[corrupt.length - 1]! ^= 1;
    expectPassThrough(corrupt, 'ERR_CORRUPT_AGGREGATE');
  });

  it.each([
    ['truncated length', '0a05616c70'],
    ['a Record without partition_key_index', '0a0161' + '1a03' + '1a0178'],
    ['a Record without data', '0a0161' + '1a02' + '0800'],
    ['a Tag without its key', '0a0161' + '1a09' + '0800' + '1a0178' + '2202' + '1200'],
    ['tag 0', '00'],
    ['an end-group tag outside a group', '0c'],
    ['wire type 7', '0f'],
    ['an 11-byte varint', '08ffffffffffffffffffff01'],
  ])('passes through an aggregate whose protobuf has %s', (_name, protobufHex) => {
    expectPassThrough(wrap(protobufHex), 'ERR_CORRUPT_AGGREGATE');
  });

  it.each([
    ['partition_key_index past the table', '0a0161' + '1a05' + '0801' + '1a0178'],
    ['explicit_hash_key_index with an empty table', '0a0161' + '1a07' + '0800' + '1000' + '1a0178'],
  ])('passes through an aggregate with %s', (_name, protobufHex) => {
    expectPassThrough(wrap(protobufHex), 'ERR_CORRUPT_AGGREGATE');
  });

  it('skips unknown fields, groups and known fields with another wire type', () => {
    const protobuf =
      '0a0161' + // pk table ["a"]
      '2001' + // field 4 varint (unknown)
      '2b' + '0801' + '2c' + // group 5 { field 1 varint }
      '0801' + // field 1 with wire type 0 at top level: unknown, skipped
      '1a0c' + '0800' + '2807' + '3d01020304' + '1a0178'; // Record { pk 0, unknown 5, fixed32 7, data "x" }
    expect(deaggregate({ data: wrap(protobuf), partitionKey: 'a' }, { strict: true })).toEqual([
      { partitionKey: 'a', data: utf8('x'), aggregated: true, subSequenceNumber: 0 },
    ]);
  });

  it.each([
    ['fields in another order', '0a0161' + '120132' + '1a07' + '1a0178' + '1000' + '0800'],
    ['a field after the data', '0a0161' + '120132' + '1a09' + '0800' + '1000' + '1a0178' + '2807'],
    ['non-minimal varints', '0a810061' + '12810032' + '1a0a' + '088000' + '108000' + '1a810078'],
    ['a repeated index (the last one wins)', '0a0161' + '0a0162' + '120132' + '1a09' + '0800' + '0801' + '1000' + '1a0178'],
  ])('reads an aggregate with %s as the Java parser does', (name, protobufHex) => {
    const records = deaggregate({ data: wrap(protobufHex), partitionKey: 'a' }, { strict: true });
    expect(records).toEqual([
      { partitionKey: name.startsWith('a repeated') ? 'b' : 'a', explicitHashKey: '2', data: utf8('x'), aggregated: true, subSequenceNumber: 0 },
    ]);
  });

  it('reads key tables written between records and keys that are not ASCII', () => {
    const protobuf =
      '0a0161' + // pk table ["a"]
      '1a0508001a0178' + // Record { pk 0, data "x" }
      '0a03c3a962' + // pk table += ["éb"]
      '1a0508011a0179' + // Record { pk 1, data "y" }
      '0a0163' + // pk table += ["c"]
      '1a0508021a017a'; // Record { pk 2, data "z" }
    expect(deaggregate({ data: wrap(protobuf), partitionKey: 'a' }, { strict: true }).map((record) => record.partitionKey)).toEqual(['a', 'éb', 'c']);
    const ascii = '0a0161' + '1a0508001a0178' + '0a0162' + '1a0508011a0179' + '0a0163' + '1a0508021a017a';
    expect(deaggregate({ data: wrap(ascii), partitionKey: 'a' }, { strict: true }).map((record) => record.partitionKey)).toEqual(['a', 'b', 'c']);
  });

  it('accepts a well-formed Tag and returns [] for a valid aggregate with no records', () => {
    const withTag = wrap('0a0161' + '1a0a' + '0800' + '1a0178' + '2203' + '0a0174');
    expect(deaggregate({ data: withTag, partitionKey: 'a' }, { strict: true })).toHaveLength(1);
    expect(deaggregate({ data: wrap('0a0161'), partitionKey: 'a' }, { strict: true })).toEqual([]);
  });

  describe('shardHashRange (the KCL rule)', () => {
    const alphaKey = BigInt(hashKeyOf('alpha'));
    const around = (low: bigint, high: bigint): DeaggregateOptions => ({ shardHashRange: { start: low.toString(), end: high.toString() } });

    it('keeps an aggregate whose sub-records all hash inside the range', () => {
      expect(deaggregate({ data: sample.data, partitionKey: 'a' }, around(42n, alphaKey))).toHaveLength(2);
    });

    it('drops the whole aggregate when one sub-record hashes outside (strict: ERR_HASH_KEY_OUT_OF_RANGE)', () => {
      expect(deaggregate({ data: sample.data, partitionKey: 'a' }, around(43n, BigInt(MAX_HASH_KEY)))).toEqual([]);
      expect(deaggregate({ data: sample.data, partitionKey: 'a' }, around(0n, alphaKey - 1n))).toEqual([]);
      expect(strictCode({ data: sample.data, partitionKey: 'a' }, around(43n, BigInt(MAX_HASH_KEY)))).toBe('ERR_HASH_KEY_OUT_OF_RANGE');
    });

    it('does not apply to records that are not aggregates', () => {
      expect(deaggregate({ data: utf8('x'), partitionKey: 'alpha' }, around(0n, 0n))).toHaveLength(1);
    });

    it('rejects a malformed range with ERR_INVALID_CONFIG naming the option', () => {
      expect(() => deaggregate({ data: sample.data, partitionKey: 'a' }, { shardHashRange: { start: '-1', end: '5' } })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_CONFIG', message: expect.stringContaining('shardHashRange.start') }),
      );
      expect(() => deaggregate({ data: sample.data, partitionKey: 'a' }, around(5n, 4n))).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CONFIG' }));
      expect(() => deaggregate({ data: sample.data, partitionKey: 'a' }, { strict: 'yes' } as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_CONFIG' }),
      );
    });
  });
});

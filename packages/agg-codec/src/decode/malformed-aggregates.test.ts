// The KCL's reading of malformed aggregates, one case per rule. Every input is the magic
// F3 89 9A C2 + a protobuf + its MD5, with outer partition key "a". GOOD is a key table ["p"]
// and one record with data "d". The expected results are what the KCL (AggregatorUtil on
// protobuf-java, JDK 17) does with the same bytes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AggregateBuilder, deaggregate, encodeAggregate, hashKeyOf, isCodecError, MAX_HASH_KEY } from '../index.js';
import type { DeaggregatedRecord, DeaggregateOptions } from '../index.js';

const GOOD = '0a0170' + '1a05' + '0800' + '1a0164';
const MAGIC = Buffer.from('f3899ac2', 'hex');
const aggregate = (protobufHex: string): Buffer => {
  const protobuf = Buffer.from(protobufHex, 'hex');
  return Buffer.concat([MAGIC, protobuf, createHash('md5').update(protobuf).digest()]);
};
const nested = (levels: number, fieldNumber = 5): string => ((fieldNumber << 3) | 3).toString(16).padStart(2, '0').repeat(levels) + ((fieldNumber << 3) | 4).toString(16).padStart(2, '0').repeat(levels);
const varint = (value: number): string => {
  let hex = '';
  for (; value >= 0x80; value = Math.floor(value / 0x80)) hex += ((value % 0x80) | 0x80).toString(16).padStart(2, '0');
  return hex + value.toString(16).padStart(2, '0');
};
const lengthDelimited = (tagHex: string, bodyHex: string): string => tagHex + varint(bodyHex.length / 2) + bodyHex;
const record = (bodyHex: string): string => lengthDelimited('1a', bodyHex);

const subRecordP = { partitionKey: 'p', data: new Uint8Array(Buffer.from('d')), aggregated: true, subSequenceNumber: 0 };
const passedThrough = (data: Buffer): DeaggregatedRecord[] => [{ partitionKey: 'a', data: new Uint8Array(data), aggregated: false, subSequenceNumber: 0 }];
const FULL_RANGE: DeaggregateOptions = { shardHashRange: { start: '0', end: MAX_HASH_KEY } };

function strictError(data: Buffer, options: DeaggregateOptions = {}): { code: string; message: string } | undefined {
  try {
    deaggregate({ data, partitionKey: 'a' }, { ...options, strict: true });
  } catch (error) {
    expect(isCodecError(error)).toBe(true);
    return error as { code: string; message: string };
  }
  return undefined;
}

describe('malformed aggregates are read as the KCL reads them', () => {
  describe('1 and 2: nesting is bounded at protobuf-java’s 100 levels, and no depth crashes', () => {
    it('20 000 nested unknown groups (40 KB) pass through, and strict mode throws a CodecError', () => {
      const data = aggregate(GOOD + nested(20_000));
      expect(deaggregate({ data, partitionKey: 'a' })).toEqual(passedThrough(data));
      expect(strictError(data)).toMatchObject({ code: 'ERR_CORRUPT_AGGREGATE', message: expect.stringContaining('100') });
    });

    it('500 000 nested groups (1 MB) pass through within a second', () => {
      const data = aggregate(GOOD + nested(500_000));
      const started = performance.now();
      const records = deaggregate({ data, partitionKey: 'a' });
      const code = strictError(data)?.code;
      expect(performance.now() - started).toBeLessThan(1000);
      expect(records).toHaveLength(1);
      expect(records[0]?.aggregated).toBe(false);
      expect(Buffer.from(records[0]!.data).equals(data)).toBe(true);
      expect(code).toBe('ERR_CORRUPT_AGGREGATE');
    });

    it('100 nested groups at the top level are skipped; 101 pass through', () => {
      expect(deaggregate({ data: aggregate(GOOD + nested(100)), partitionKey: 'a' }, { strict: true })).toEqual([subRecordP]);
      const tooDeep = aggregate(GOOD + nested(101));
      expect(deaggregate({ data: tooDeep, partitionKey: 'a' })).toEqual(passedThrough(tooDeep));
      expect(strictError(tooDeep)?.code).toBe('ERR_CORRUPT_AGGREGATE');
    });

    it('inside a Record (depth 1) 99 nested groups are skipped and 100 pass through; inside a Tag (depth 2) 98 and 99', () => {
      const inRecord = (levels: number): Buffer => aggregate('0a0170' + record('0800' + '1a0164' + nested(levels)));
      const inTag = (levels: number): Buffer => aggregate('0a0170' + record('0800' + '1a0164' + lengthDelimited('22', '0a0174' + nested(levels))));
      expect(deaggregate({ data: inRecord(99), partitionKey: 'a' }, { strict: true })).toEqual([subRecordP]);
      expect(deaggregate({ data: inRecord(100), partitionKey: 'a' })).toEqual(passedThrough(inRecord(100)));
      expect(deaggregate({ data: inTag(98), partitionKey: 'a' }, { strict: true })).toEqual([subRecordP]);
      expect(deaggregate({ data: inTag(99), partitionKey: 'a' })).toEqual(passedThrough(inTag(99)));
    });
  });

  describe('3: field number 0 is invalid', () => {
    it.each([
      ['GOOD + 0200 (length-delimited)', GOOD + '0200'],
      ['GOOD + 0000 (varint)', GOOD + '0000'],
      ['GOOD + 05 00000000 (fixed32)', GOOD + '0500000000'],
      ['GOOD + 01 + 8 bytes (fixed64)', GOOD + '01' + '00'.repeat(8)],
      ['GOOD + 03 04 (group)', GOOD + '0304'],
      ['a group closed by field 0', GOOD + '2b' + '04' + '2c'],
      ['inside a Record', '0a0170' + record('0800' + '1a0164' + '0200')],
      ['inside a Tag', '0a0170' + record('0800' + '1a0164' + lengthDelimited('22', '0a0174' + '0200'))],
      ['as a non-minimal varint (80 00)', GOOD + '8000' + '00'],
    ])('%s: passes through', (_name, protobufHex) => {
      const data = aggregate(protobufHex);
      expect(deaggregate({ data, partitionKey: 'a' })).toEqual(passedThrough(data));
      expect(strictError(data)).toMatchObject({ code: 'ERR_CORRUPT_AGGREGATE', message: expect.stringContaining('field number 0') });
    });
  });

  describe('4: explicit hash keys are read as Java’s BigInteger reads them', () => {
    const withExplicitHashKey = (key: string): Buffer => aggregate('0a0170' + lengthDelimited('12', Buffer.from(key).toString('hex')) + record('0800' + '1000' + '1a0164'));

    it.each(['-1', 'abc', '', ' 5', '340282366920938463463374607431768211456'])('%j (not an integer in 0 … 2^128 − 1): no user records, without or with a shard range', (key) => {
      const data = withExplicitHashKey(key);
      expect(deaggregate({ data, partitionKey: 'a' })).toEqual([]);
      expect(deaggregate({ data, partitionKey: 'a' }, FULL_RANGE)).toEqual([]);
      expect(strictError(data)).toMatchObject({ code: 'ERR_CORRUPT_AGGREGATE', message: expect.stringContaining('explicit hash key') });
      expect(strictError(data, FULL_RANGE)?.code).toBe('ERR_CORRUPT_AGGREGATE');
    });

    it.each([
      ['007', 7n],
      ['+5', 5n],
      ['-0', 0n],
      ['١٢٣', 123n],
    ])('%j is hash key %s: the sub-record keeps the key as written, and the range check uses its value', (key, value) => {
      const data = withExplicitHashKey(key);
      const expected = [{ ...subRecordP, explicitHashKey: key }];
      expect(deaggregate({ data, partitionKey: 'a' }, { strict: true })).toEqual(expected);
      expect(deaggregate({ data, partitionKey: 'a' }, { ...FULL_RANGE, strict: true })).toEqual(expected);
      const exactly = { shardHashRange: { start: value.toString(), end: value.toString() } };
      expect(deaggregate({ data, partitionKey: 'a' }, exactly)).toEqual(expected);
      const above = { shardHashRange: { start: (value + 1n).toString(), end: MAX_HASH_KEY } };
      expect(deaggregate({ data, partitionKey: 'a' }, above)).toEqual([]);
      expect(strictError(data, above)?.code).toBe('ERR_HASH_KEY_OUT_OF_RANGE');
    });

    it('drops the whole aggregate when a later sub-record has the bad key, and ignores a bad key no record uses', () => {
      const twoRecords = aggregate('0a0170' + lengthDelimited('12', '3432') + lengthDelimited('12', Buffer.from('abc').toString('hex')) + record('0800' + '1000' + '1a0164') + record('0800' + '1001' + '1a0165'));
      expect(deaggregate({ data: twoRecords, partitionKey: 'a' })).toEqual([]);
      const unused = aggregate('0a0170' + lengthDelimited('12', Buffer.from('abc').toString('hex')) + record('0800' + '1a0164'));
      expect(deaggregate({ data: unused, partitionKey: 'a' }, { strict: true })).toEqual([subRecordP]);
    });
  });

  describe('5: key strings are decoded as Java’s UTF-8 decoder does', () => {
    const encodedSurrogate = aggregate('0a03eda080' + record('0800' + '1a0164'));

    it('ED A0 80 in the key table is one U+FFFD (Node’s TextDecoder makes three)', () => {
      expect(deaggregate({ data: encodedSurrogate, partitionKey: 'a' }, { strict: true })).toEqual([{ ...subRecordP, partitionKey: '\uFFFD' }]);
      expect(new TextDecoder().decode(Buffer.from('eda080', 'hex'))).toBe('\uFFFD\uFFFD\uFFFD'); // what the old code returned
    });

    it('the shard-range decision uses the MD5 of that one U+FFFD', () => {
      const one = BigInt(hashKeyOf('\uFFFD'));
      const three = BigInt(hashKeyOf('\uFFFD\uFFFD\uFFFD'));
      expect(one).not.toBe(three);
      const onlyOne = { shardHashRange: { start: one.toString(), end: one.toString() } };
      const onlyThree = { shardHashRange: { start: three.toString(), end: three.toString() } };
      expect(deaggregate({ data: encodedSurrogate, partitionKey: 'a' }, onlyOne)).toHaveLength(1);
      expect(deaggregate({ data: encodedSurrogate, partitionKey: 'a' }, onlyThree)).toEqual([]);
    });

    it('explicit hash keys are decoded the same way', () => {
      const data = aggregate('0a0170' + lengthDelimited('12', '35eda080') + record('0800' + '1000' + '1a0164'));
      // "5\uFFFD" is not a number: the KCL drops the aggregate.
      expect(strictError(data)?.message).toContain('"5\uFFFD"');
    });
  });

  describe('6: a single record’s partition key is written as the KPL writes it', () => {
    it('an unpaired surrogate becomes "?" in a single record, as in an aggregate and in the hash key', () => {
      const data = new Uint8Array(Buffer.from('d'));
      const single = encodeAggregate([{ partitionKey: '\udc00', data }]);
      expect(single).toEqual({ partitionKey: '?', explicitHashKey: hashKeyOf('?'), data });
      const builder = new AggregateBuilder();
      builder.add({ partitionKey: 'x\ud800y', data });
      expect(builder.build().partitionKey).toBe('x?y');
      const pair = encodeAggregate([{ partitionKey: '\udc00', data }, { partitionKey: 'q', data }]);
      expect(deaggregate({ ...pair })[0]?.partitionKey).toBe(single.partitionKey);
      expect(encodeAggregate([{ partitionKey: '😀', data }]).partitionKey).toBe('😀'); // a proper pair is kept
    });
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AggregateBuilder, deaggregate, encodeAggregate, hashKeyOf } from '../index.js';
import type { UserRecord } from '../index.js';
import { encodeProtobufWithProtobufjs } from '../__tests__/aggregate-proto.js';
import { utf8 } from '../__tests__/golden-fixture.js';

/** Expected KPL bytes built independently: protobufjs (from the .proto text) + magic + MD5. */
function expectedBlob(records: readonly UserRecord[]): string {
  const protobuf = encodeProtobufWithProtobufjs(records);
  const digest = createHash('md5').update(protobuf).digest();
  return Buffer.concat([Buffer.from('f3899ac2', 'hex'), protobuf, digest]).toString('hex');
}

function roundTrip(records: readonly UserRecord[]): UserRecord[] {
  return deaggregate({ ...encodeAggregate(records) }, { strict: true }).map((record) => {
    const out: UserRecord = { partitionKey: record.partitionKey, data: new Uint8Array(record.data) };
    if (record.explicitHashKey !== undefined) out.explicitHashKey = record.explicitHashKey;
    return out;
  });
}

const plain = (records: readonly UserRecord[]): UserRecord[] => records.map((record) => ({ ...record, data: new Uint8Array(record.data) }));

const edgeVectors: Record<string, UserRecord[]> = {
  'duplicate keys': [
    { partitionKey: 'k', data: utf8('1') },
    { partitionKey: 'k', data: utf8('2') },
    { partitionKey: 'j', data: utf8('3') },
    { partitionKey: 'k', data: utf8('4') },
  ],
  'numeric-looking keys keep insertion order': [
    { partitionKey: '10', data: utf8('a') },
    { partitionKey: '0', data: utf8('b') },
    { partitionKey: '2', data: utf8('c') },
    { partitionKey: '10', data: utf8('d') },
  ],
  '__proto__ and constructor keys': [
    { partitionKey: '__proto__', data: utf8('a') },
    { partitionKey: 'constructor', data: utf8('b') },
    { partitionKey: '__proto__', explicitHashKey: '7', data: utf8('c') },
  ],
  'multibyte keys (é, emoji)': [
    { partitionKey: 'é', data: utf8('a') },
    { partitionKey: '😀 clé', data: utf8('b') },
    { partitionKey: 'é', data: utf8('c') },
  ],
  'empty data': [
    { partitionKey: 'a', data: new Uint8Array(0) },
    { partitionKey: 'b', data: new Uint8Array(0) },
  ],
  'EHK and no-EHK mixed, EHK index 0 written': [
    { partitionKey: 'p', explicitHashKey: '0', data: utf8('x') },
    { partitionKey: 'q', data: utf8('y') },
    { partitionKey: 'r', explicitHashKey: '340282366920938463463374607431768211455', data: utf8('z') },
    { partitionKey: 'p', explicitHashKey: '0', data: utf8('w') },
  ],
  '200+ distinct keys (2-byte varint indices)': Array.from({ length: 260 }, (_, index) => ({
    partitionKey: `key-${index}`,
    explicitHashKey: String(index * 1000),
    data: utf8(`payload ${index}`),
  })),
  'ASCII keys around a multibyte key and a 200-byte ASCII key (2-byte length)': [
    { partitionKey: 'ascii-1', data: utf8('1') },
    { partitionKey: 'ключ', data: utf8('2') },
    { partitionKey: 'k'.repeat(200), data: utf8('3') },
    { partitionKey: 'ascii-2', data: utf8('4') },
    { partitionKey: 'ascii-1', data: utf8('5') },
  ],
  'large data (3-byte varint lengths)': [
    { partitionKey: 'big', data: new Uint8Array(20000).fill(7) },
    { partitionKey: 'bigger', data: new Uint8Array(70000).map((_, index) => index % 251) },
  ],
};

describe('encodeAggregate edge vectors', () => {
  for (const [name, records] of Object.entries(edgeVectors)) {
    it(`writes the KPL layout and round-trips: ${name}`, () => {
      const entry = encodeAggregate(records);
      expect(Buffer.from(entry.data).toString('hex')).toBe(expectedBlob(records));
      expect(entry.partitionKey).toBe('a');
      expect(entry.explicitHashKey).toBe(hashKeyOf(records[0]!.partitionKey, records[0]!.explicitHashKey));
      expect(roundTrip(records)).toEqual(plain(records));
    });
  }

  it('writes explicit_hash_key_index 0 and partition_key_index 0 explicitly', () => {
    const hex = Buffer.from(
      encodeAggregate([
        { partitionKey: 'p', explicitHashKey: '5', data: utf8('x') },
        { partitionKey: 'p', data: utf8('y') },
      ]).data,
    ).toString('hex');
    // tables: 0a0170 1201 35; record 1: 1a07 0800 1000 1a0178; record 2: 1a05 0800 1a0179
    expect(hex.slice(8, -32)).toBe('0a0170' + '120135' + '1a07' + '0800' + '1000' + '1a0178' + '1a05' + '0800' + '1a0179');
  });

  it('uses a 2-byte varint for indices ≥ 128 and a 3-byte varint for data ≥ 16 KiB', () => {
    const many = edgeVectors['200+ distinct keys (2-byte varint indices)']!;
    const blob = Buffer.from(encodeAggregate(many).data);
    // the record with index 200 carries "08 c8 01" (partition_key_index 200)
    expect(blob.includes(Buffer.from('08c801' + '10c801', 'hex'))).toBe(true);
    const large = Buffer.from(encodeAggregate(edgeVectors['large data (3-byte varint lengths)']!).data);
    expect(large.includes(Buffer.from('1aa09c01', 'hex'))).toBe(true); // data length 20000
  });

  it('sends a single record raw with its own partition key and hash key', () => {
    const data = utf8('solo');
    const entry = encodeAggregate([{ partitionKey: 'customer-42', data }]);
    expect(entry).toEqual({ partitionKey: 'customer-42', explicitHashKey: hashKeyOf('customer-42'), data });
    expect(encodeAggregate([{ partitionKey: 'x', explicitHashKey: '12345', data }]).explicitHashKey).toBe('12345');
  });

  it('writes unpaired surrogates as "?" like the KPL Java side', () => {
    const entry = encodeAggregate([
      { partitionKey: 'a\uD800b', data: utf8('1') },
      { partitionKey: 'c', data: utf8('2') },
    ]);
    expect(deaggregate({ ...entry }).map((record) => record.partitionKey)).toEqual(['a?b', 'c']);
    expect(entry.explicitHashKey).toBe(hashKeyOf('a?b'));
  });
});

describe('AggregateBuilder', () => {
  it('knows its exact size before and after each add and after LIFO removal', () => {
    const builder = new AggregateBuilder();
    const records = [...edgeVectors['__proto__ and constructor keys']!, ...edgeVectors['multibyte keys (é, emoji)']!];
    const sizes: number[] = [builder.size];
    for (const record of records) {
      const predicted = builder.sizeWith(record);
      builder.add(record);
      expect(builder.size).toBe(predicted);
      sizes.push(builder.size);
      expect(builder.build().data.length).toBe(builder.size);
    }
    for (let count = records.length; count > 0; count--) {
      expect(builder.removeLast()).toBe(records[count - 1]);
      expect(builder.size).toBe(sizes[count - 1]);
    }
    expect(builder.removeLast()).toBeUndefined();
    expect(builder.count).toBe(0);
  });

  it('after removeLast builds the same bytes as a fresh builder with the remaining records', () => {
    const builder = new AggregateBuilder();
    const records = edgeVectors['EHK and no-EHK mixed, EHK index 0 written']!;
    for (const record of records) builder.add(record);
    builder.add({ partitionKey: 'fresh', explicitHashKey: '99', data: utf8('gone') });
    builder.removeLast();
    expect(Buffer.from(builder.build().data).toString('hex')).toBe(Buffer.from(encodeAggregate(records).data).toString('hex'));
  });

  it('adds a measured record correctly after the builder changed between sizeWith() and add()', () => {
    const first = { partitionKey: 'one', data: utf8('1') };
    const second = { partitionKey: 'two', data: utf8('2') };
    const third = { partitionKey: 'three', data: utf8('3') };
    const builder = new AggregateBuilder();
    builder.add(first);
    builder.add(second);
    builder.sizeWith(third); // measured as a new key at index 2 …
    builder.removeLast(); // … but now index 1 is free
    builder.add(third);
    expect(Buffer.from(builder.build().data).toString('hex')).toBe(Buffer.from(encodeAggregate([first, third]).data).toString('hex'));
    builder.sizeWith(second); // measured as new
    builder.reset();
    builder.add(first);
    builder.add(second);
    expect(Buffer.from(builder.build().data).toString('hex')).toBe(Buffer.from(encodeAggregate([first, second]).data).toString('hex'));
  });

  it('still validates a record changed between sizeWith() and add()', () => {
    const builder = new AggregateBuilder();
    const record = { partitionKey: 'ok', data: utf8('x') };
    builder.sizeWith(record);
    record.partitionKey = '';
    expect(() => builder.add(record)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_PARTITION_KEY' }));
    expect(builder.count).toBe(0);
  });

  it('uses a supplied hashKey for the outer explicit hash key instead of recomputing the MD5', () => {
    const builder = new AggregateBuilder();
    const hashKey = new Uint8Array(16);
    hashKey[15] = 9;
    builder.add({ partitionKey: 'anything', data: utf8('x'), hashKey });
    builder.add({ partitionKey: 'other', data: utf8('y') });
    expect(builder.build().explicitHashKey).toBe('9');
  });

  it('keeps the KPL estimate within 1 % or 32 bytes of the serialized size', () => {
    const builder = new AggregateBuilder();
    for (const record of edgeVectors['200+ distinct keys (2-byte varint indices)']!) builder.add(record);
    const accurate = builder.size;
    expect(Math.abs(builder.estimatedSize - accurate)).toBeLessThanOrEqual(Math.max(32, accurate * 0.01));
  });

  it('a reused builder writes each aggregate exactly as a fresh one would, however the sizes and keys change', () => {
    // reset() keeps the arrays' capacity: slots left from a longer aggregate must never leak into a shorter one.
    const builder = new AggregateBuilder();
    const shapes = [300, 7, 2, 120, 1, 45];
    for (const [round, count] of shapes.entries()) {
      const records = Array.from({ length: count }, (_, index) => ({
        partitionKey: `k${(index * (round + 1)) % 17}-${round % 2}`,
        ...(index % 5 === 0 ? { explicitHashKey: String(index * 1000 + round) } : {}),
        data: utf8(`r${round}-${index}`),
      }));
      for (const record of records) {
        builder.sizeWith(record);
        builder.add(record);
      }
      if (round === 3) builder.add(builder.removeLast()!);
      const fresh = encodeAggregate(records);
      const reused = builder.build();
      expect([reused.partitionKey, reused.explicitHashKey, Buffer.from(reused.data).toString('hex')]).toEqual([fresh.partitionKey, fresh.explicitHashKey, Buffer.from(fresh.data).toString('hex')]);
      expect(builder.size).toBe(fresh.data.length);
      builder.reset();
    }
  });

  it('takes records given as ranges of one shared array and writes the bytes of each range', () => {
    const texts = ['first', '', 'a longer third record that is more than sixty-four bytes long, to cross any short path', 'x'];
    const shared = new Uint8Array(512).fill(0xee);
    let offset = 3;
    const ranged = texts.map((text, index) => {
      const bytes = utf8(text);
      shared.set(bytes, offset);
      const record = { partitionKey: `k${index % 2}`, data: shared, dataOffset: offset, dataLength: bytes.length };
      offset += bytes.length + 5;
      return record;
    });
    const copied = texts.map((text, index) => ({ partitionKey: `k${index % 2}`, data: utf8(text) }));
    const builder = new AggregateBuilder();
    for (const [index, record] of ranged.entries()) {
      expect(builder.sizeWith(record)).toBe(index === 0 ? copied[0]!.data.length : encodeAggregate(copied.slice(0, index + 1)).data.length);
      builder.add(record);
      expect(builder.size).toBe(index === 0 ? copied[0]!.data.length : encodeAggregate(copied.slice(0, index + 1)).data.length);
    }
    expect(Buffer.from(builder.build().data).toString('hex')).toBe(Buffer.from(encodeAggregate(copied).data).toString('hex'));
    expect(deaggregate(builder.build()).map((record) => Buffer.from(record.data).toString())).toEqual(texts);
    // One record alone is sent raw: exactly its range, not the shared array.
    builder.reset();
    builder.add(ranged[2]!);
    expect(Buffer.from(builder.build().data).toString()).toBe(texts[2]);
    // A range covering the whole array is the array itself.
    builder.reset();
    const whole = utf8('whole');
    builder.add({ partitionKey: 'w', data: whole, dataOffset: 0, dataLength: whole.length });
    expect(builder.build().data).toBe(whole);
  });

  it('a measured range moved between sizeWith() and add() is added as it is then', () => {
    const shared = utf8('aaaabbbbbbbb');
    const record = { partitionKey: 'k', data: shared, dataOffset: 0, dataLength: 4 };
    const builder = new AggregateBuilder();
    builder.add({ partitionKey: 'k', data: utf8('z') });
    builder.sizeWith(record);
    record.dataOffset = 4;
    record.dataLength = 8;
    builder.add(record);
    expect(deaggregate(builder.build()).map((entry) => Buffer.from(entry.data).toString())).toEqual(['z', 'bbbbbbbb']);
  });

  it('rejects a range that is not within the data, or only half given, with ERR_INVALID_DATA', () => {
    const data = new Uint8Array(10);
    const bad = [
      { dataOffset: 8, dataLength: 3 },
      { dataOffset: -1, dataLength: 2 },
      { dataOffset: 0.5, dataLength: 2 },
      { dataOffset: 2 },
      { dataLength: 2 },
      { dataOffset: '1', dataLength: 2 },
    ];
    for (const range of bad) {
      const builder = new AggregateBuilder();
      const record = { partitionKey: 'k', data, ...range } as never;
      expect(() => builder.sizeWith(record)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DATA' }));
      expect(() => builder.add(record)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DATA', message: expect.stringContaining('dataOffset and dataLength') }));
      expect(builder.count).toBe(0);
    }
  });

  it('reset() empties it for reuse and build() on an empty builder throws ERR_EMPTY_RECORDS', () => {
    const builder = new AggregateBuilder();
    builder.add({ partitionKey: 'a', data: utf8('1') });
    builder.add({ partitionKey: 'b', data: utf8('2') });
    builder.reset();
    expect([builder.count, builder.size, builder.estimatedSize]).toEqual([0, 0, 0]);
    expect(() => builder.build()).toThrow(expect.objectContaining({ code: 'ERR_EMPTY_RECORDS' }));
    builder.add({ partitionKey: 'c', data: utf8('3') });
    expect(builder.build().partitionKey).toBe('c');
  });
});

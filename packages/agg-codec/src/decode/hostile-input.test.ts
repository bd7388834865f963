// deaggregate on hostile input: whatever bytes sit behind a valid magic and MD5 (random bytes,
// protobuf-shaped noise, mutated KPL aggregates, deep nesting, huge lengths and indices), it
// returns in bounded time; non-strict mode never throws, strict mode throws only a CodecError with
// one of the decoder's codes, and the two modes agree.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deaggregate, encodeAggregate, isCodecError, MAX_HASH_KEY } from '../index.js';
import type { DeaggregatedRecord, DeaggregateOptions, UserRecord } from '../index.js';

const MAGIC = Buffer.from('f3899ac2', 'hex');
const MAX = BigInt(MAX_HASH_KEY);
/** Per-input bound for the two calls together; a linear decoder needs a few milliseconds. */
const TIME_BOUND_MS = 500;

const wrap = (protobuf: Uint8Array): Buffer => Buffer.concat([MAGIC, protobuf, createHash('md5').update(protobuf).digest()]);
const varint = (value: bigint): Buffer => {
  const bytes: number[] = [];
  for (; value >= 0x80n; value >>= 7n) bytes.push(Number(value & 0x7fn) | 0x80);
  bytes.push(Number(value));
  return Buffer.from(bytes);
};
const concat = (parts: readonly Uint8Array[]): Buffer => Buffer.concat(parts);

// ---- Arbitraries ---------------------------------------------------------------------------
const interestingNumber = fc.oneof(
  fc.bigInt({ min: 0n, max: 300n }),
  fc.constantFrom(2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);
/** A varint, sometimes over-long (11 bytes) or cut short. */
const varintBytes = fc.oneof(
  { weight: 8, arbitrary: interestingNumber.map(varint) },
  { weight: 1, arbitrary: fc.constant(Buffer.from('ffffffffffffffffffff01', 'hex')) },
  { weight: 1, arbitrary: fc.constant(Buffer.from('ff', 'hex')) },
);
const fieldNumber = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(15, 16, 2 ** 29 - 1) });
const keyString = fc.oneof(
  fc.constantFrom('p', '-1', 'abc', '007', '+5', '-0', '١٢٣', MAX_HASH_KEY, (MAX + 1n).toString(), '').map((text) => Buffer.from(text)),
  fc.constantFrom('eda080', 'eda0', 'c3', 'f09f98', 'ff', 'efbfbd').map((hex) => Buffer.from(hex, 'hex')),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes)),
);

/** Protobuf-shaped noise: fields of every wire type, nested messages and groups, and stray bytes. */
const { message } = fc.letrec<{ message: Buffer; field: Buffer }>((tie) => ({
  message: fc.array(tie('field'), { maxLength: 8 }).map(concat),
  field: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fieldNumber, varintBytes).map(([number, value]) => concat([varint(BigInt(number << 3)), value])),
    fc.tuple(fieldNumber, keyString).map(([number, bytes]) => concat([varint(BigInt((number << 3) | 2)), varint(BigInt(bytes.length)), bytes])),
    fc.tuple(fieldNumber, tie('message')).map(([number, body]) => concat([varint(BigInt((number << 3) | 2)), varint(BigInt(body.length)), body])),
    fc.tuple(fieldNumber, tie('message'), fc.boolean()).map(([number, body, closed]) =>
      concat([varint(BigInt((number << 3) | 3)), body, closed ? varint(BigInt((number << 3) | 4)) : Buffer.alloc(0)]),
    ),
    fc.tuple(fieldNumber, fc.constantFrom(1, 5)).map(([number, wireType]) => concat([varint(BigInt((number << 3) | wireType)), Buffer.alloc(wireType === 1 ? 8 : 4, 7)])),
    fc.tuple(fieldNumber, interestingNumber).map(([number, length]) => concat([varint(BigInt((number << 3) | 2)), varint(length)])), // a length far past the end
    fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes)),
  ),
}));

/** Unknown groups nested `levels` deep, closed or not, at the top level, in a Record or in a Tag. */
const deepNesting = fc
  .record({
    levels: fc.oneof(fc.integer({ min: 95, max: 105 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 200_000 })),
    where: fc.constantFrom('top', 'record', 'tag'),
    closing: fc.constantFrom('matched', 'matched', 'unclosed', 'mismatched'),
    groupField: fc.integer({ min: 1, max: 20 }),
  })
  .map(({ levels, where, closing, groupField }) => {
    const open = Buffer.alloc(levels, (groupField << 3) | 3);
    const close = closing === 'unclosed' ? Buffer.alloc(0) : Buffer.alloc(levels, (((closing === 'matched' ? groupField : groupField + 1) << 3) | 4));
    const groups = concat([open, close]);
    const data = Buffer.from('1a0164', 'hex');
    const lengthDelimited = (tag: number, body: Buffer): Buffer => concat([Buffer.from([tag]), varint(BigInt(body.length)), body]);
    if (where === 'top') return concat([Buffer.from('0a01701a0508001a0164', 'hex'), groups]);
    const tag = where === 'tag' ? lengthDelimited(0x22, concat([Buffer.from('0a0174', 'hex'), groups])) : groups;
    return concat([Buffer.from('0a0170', 'hex'), lengthDelimited(0x1a, concat([Buffer.from('0800', 'hex'), data, tag]))]);
  });

const userRecord: fc.Arbitrary<UserRecord> = fc
  .record({
    partitionKey: fc.oneof(fc.constantFrom('a', 'b', 'é', '😀'), fc.string({ minLength: 1, maxLength: 20 })),
    explicitHashKey: fc.option(fc.bigInt({ min: 0n, max: MAX }).map(String), { nil: undefined }),
    data: fc.uint8Array({ maxLength: 64 }),
  })
  .map(({ explicitHashKey, ...rest }) => (explicitHashKey === undefined ? rest : { ...rest, explicitHashKey }));

type Mutation = { kind: 'flip' | 'overwrite' | 'insert' | 'delete' | 'truncate'; at: number; bytes: Buffer; count: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('flip', 'flip', 'flip', 'flip', 'overwrite', 'insert', 'delete', 'truncate'),
  at: fc.nat(),
  bytes: fc.oneof(message, varintBytes, deepNesting.map((bytes) => bytes.subarray(10)), fc.uint8Array({ minLength: 1, maxLength: 4 }).map((bytes) => Buffer.from(bytes))),
  count: fc.integer({ min: 1, max: 16 }),
});
const mutatedAggregate = fc.tuple(fc.array(userRecord, { minLength: 2, maxLength: 8 }), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([records, mutations]) => {
  const blob = Buffer.from(encodeAggregate(records).data);
  let protobuf: Buffer = blob.subarray(4, blob.length - 16);
  for (const { kind, at, bytes, count } of mutations) {
    const position = protobuf.length === 0 ? 0 : at % protobuf.length;
    if (kind === 'flip') protobuf = concat([protobuf.subarray(0, position), Buffer.from([(protobuf[position] ?? 0) ^ (1 << count % 8)]), protobuf.subarray(position + 1)]);
    else if (kind === 'overwrite') protobuf = concat([protobuf.subarray(0, position), bytes, protobuf.subarray(position + bytes.length)]);
    else if (kind === 'insert') protobuf = concat([protobuf.subarray(0, position), bytes, protobuf.subarray(position)]);
    else if (kind === 'delete') protobuf = concat([protobuf.subarray(0, position), protobuf.subarray(position + count)]);
    else protobuf = protobuf.subarray(0, position);
  }
  return protobuf;
});

/** No range, the whole range, or a random shard's range. */
const shardHashRange: fc.Arbitrary<DeaggregateOptions> = fc.oneof(
  fc.constant({}),
  fc.constant({ shardHashRange: { start: '0', end: MAX_HASH_KEY } }),
  fc.tuple(fc.bigInt({ min: 0n, max: MAX }), fc.bigInt({ min: 0n, max: MAX })).map(([a, b]) => ({
    shardHashRange: { start: (a < b ? a : b).toString(), end: (a < b ? b : a).toString() },
  })),
);

// ---- The property --------------------------------------------------------------------------
const DECODE_CODES = new Set(['ERR_NOT_AGGREGATE', 'ERR_CORRUPT_AGGREGATE', 'ERR_HASH_KEY_OUT_OF_RANGE']);
let slowest = 0;
/** How often each outcome occurred, so each generator is seen to reach past the checks it targets. */
const outcomes = { records: 0, passedThrough: 0, dropped: 0 };
const resetOutcomes = (): void => {
  outcomes.records = 0;
  outcomes.passedThrough = 0;
  outcomes.dropped = 0;
};

function checkHostile(data: Buffer, options: DeaggregateOptions): void {
  const input = { data, partitionKey: 'a', sequenceNumber: '9' };
  const started = performance.now();
  let lenient: DeaggregatedRecord[] | undefined;
  let lenientError: unknown;
  try {
    lenient = deaggregate(input, options);
  } catch (error) {
    lenientError = error;
  }
  let strict: DeaggregatedRecord[] | undefined;
  let strictError: unknown;
  try {
    strict = deaggregate(input, { ...options, strict: true });
  } catch (error) {
    strictError = error;
  }
  const elapsed = performance.now() - started;
  slowest = Math.max(slowest, elapsed);
  expect(elapsed).toBeLessThan(TIME_BOUND_MS);

  expect(lenientError).toBeUndefined(); // non-strict mode never throws on bytes
  const records = lenient as DeaggregatedRecord[];
  const passedThrough = records.length === 1 && records[0]!.aggregated === false;
  if (passedThrough) expect(Buffer.from(records[0]!.data).equals(data)).toBe(true);
  outcomes[passedThrough ? 'passedThrough' : records.length === 0 ? 'dropped' : 'records']++;
  for (const [index, record] of records.entries()) {
    expect(typeof record.partitionKey).toBe('string');
    expect(record.data).toBeInstanceOf(Uint8Array);
    expect(record.sequenceNumber).toBe('9');
    if (!passedThrough) expect(record).toMatchObject({ aggregated: true, subSequenceNumber: index });
  }

  if (strictError === undefined) {
    expect(passedThrough).toBe(false);
    expect(strict).toEqual(records);
    return;
  }
  expect(isCodecError(strictError)).toBe(true);
  const code = (strictError as { code: string }).code;
  expect(DECODE_CODES.has(code)).toBe(true);
  if (code === 'ERR_HASH_KEY_OUT_OF_RANGE') expect(records).toEqual([]);
  else if (code === 'ERR_NOT_AGGREGATE') expect(passedThrough).toBe(true);
  else expect(passedThrough || records.length === 0).toBe(true);
}

describe('deaggregate on hostile input', () => {
  it('arbitrary bytes behind a valid magic and MD5', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), shardHashRange, (bytes, options) => checkHostile(wrap(bytes), options)), { numRuns: 300 });
  });

  it('protobuf-shaped noise: every wire type, nested messages and groups, huge lengths and varints', () => {
    resetOutcomes();
    fc.assert(fc.property(message, shardHashRange, (protobuf, options) => checkHostile(wrap(protobuf), options)), { numRuns: 500 });
    expect(outcomes.passedThrough).toBeGreaterThan(50);
    expect(outcomes.dropped + outcomes.records).toBeGreaterThan(10); // valid messages (no records, or records kept or dropped)
  });

  it('KPL aggregates with bytes overwritten, inserted, deleted or cut off (MD5 recomputed)', () => {
    resetOutcomes();
    fc.assert(fc.property(mutatedAggregate, shardHashRange, (protobuf, options) => checkHostile(wrap(protobuf), options)), { numRuns: 500 });
    expect(outcomes.records).toBeGreaterThan(5);
    expect(outcomes.passedThrough).toBeGreaterThan(50);
    expect(outcomes.dropped).toBeGreaterThan(5);
  });

  it('nesting of any depth (up to 200 000 groups), closed, unclosed or mismatched, at every level', () => {
    resetOutcomes();
    fc.assert(fc.property(deepNesting, shardHashRange, (protobuf, options) => checkHostile(wrap(protobuf), options)), { numRuns: 150 });
    expect(outcomes.passedThrough).toBeGreaterThan(20);
    expect(outcomes.records + outcomes.dropped).toBeGreaterThan(10); // nesting within the limit is skipped
  });

  it('input that is not an aggregate at all, or whose MD5 does not match', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), shardHashRange, (bytes, withMagic, options) =>
        checkHostile(withMagic ? Buffer.concat([MAGIC, bytes]) : Buffer.from(bytes), options),
      ),
      { numRuns: 200 },
    );
    expect(slowest).toBeLessThan(TIME_BOUND_MS);
  });
});

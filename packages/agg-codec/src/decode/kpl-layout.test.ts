import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAggregate } from '../index.js';
import type { DeaggregatedRecord, UserRecord } from '../index.js';
import { readKplLayout } from './kpl-layout.js';
import { parseAggregatedRecord, ProtobufError } from './protobuf-reader.js';

const userRecord: fc.Arbitrary<UserRecord> = fc
  .record({
    partitionKey: fc.oneof(fc.constantFrom('a', 'b', 'é', '10'), fc.string({ minLength: 1, maxLength: 140 })),
    explicitHashKey: fc.option(fc.constantFrom('0', '42', '340282366920938463463374607431768211455'), { nil: undefined }),
    data: fc.uint8Array({ maxLength: 300 }),
  })
  .map(({ explicitHashKey, ...rest }) => (explicitHashKey === undefined ? rest : { ...rest, explicitHashKey }));

/** What the general reader makes of `bytes[4 … length − 16)`: sub-records as plain data, or 'rejected'. */
function general(bytes: Buffer): unknown {
  try {
    const parsed = parseAggregatedRecord(bytes, 4, bytes.length - 16);
    return parsed.partitionKeyIndices.map((partitionKeyIndex, index) => {
      const explicitHashKeyIndex = parsed.explicitHashKeyIndices[index] as number;
      const partitionKey = parsed.partitionKeyTable[partitionKeyIndex];
      const explicitHashKey = explicitHashKeyIndex < 0 ? undefined : parsed.explicitHashKeyTable[explicitHashKeyIndex];
      if (partitionKey === undefined || (explicitHashKeyIndex >= 0 && explicitHashKey === undefined)) throw new ProtobufError('index');
      const data = Array.from(bytes.subarray(parsed.dataStarts[index], parsed.dataEnds[index]));
      return explicitHashKey === undefined ? { partitionKey, data } : { partitionKey, explicitHashKey, data };
    });
  } catch (error) {
    if (error instanceof ProtobufError) return 'rejected';
    throw error;
  }
}

/** Sub-records as the plain data {@link general} returns. */
const asPlain = (records: readonly DeaggregatedRecord[]): unknown =>
  records.map(({ partitionKey, explicitHashKey, data }) =>
    explicitHashKey === undefined ? { partitionKey, data: Array.from(data) } : { partitionKey, explicitHashKey, data: Array.from(data) },
  );

describe('readKplLayout (single-pass reader of the KPL layout)', () => {
  it('reads every aggregate the encoder writes, with the general reader’s result', () => {
    fc.assert(
      fc.property(fc.array(userRecord, { minLength: 2, maxLength: 20 }), (records) => {
        const bytes = Buffer.from(encodeAggregate(records).data);
        const fast = readKplLayout(bytes, 4, bytes.length - 16, '7');
        expect(fast).toBeDefined();
        expect(asPlain(fast!)).toEqual(general(bytes));
        expect(fast!.every((record, index) => record.subSequenceNumber === index && record.sequenceNumber === '7' && record.aggregated)).toBe(true);
      }),
    );
  });

  it('never disagrees with the general reader on corrupted bytes: same records, or it defers (undefined)', () => {
    let compared = 0;
    let deferred = 0;
    fc.assert(
      fc.property(
        fc.array(userRecord, { minLength: 2, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        (records, edits) => {
          const bytes = Buffer.from(encodeAggregate(records).data);
          const protobufLength = bytes.length - 20;
          for (const [offset, value] of edits) bytes[4 + (offset % protobufLength)] = value;
          const fast = readKplLayout(bytes, 4, bytes.length - 16, undefined);
          if (fast === undefined) {
            deferred++;
            return;
          }
          compared++;
          expect(asPlain(fast)).toEqual(general(bytes));
        },
      ),
      { numRuns: 500 },
    );
    // Both branches were exercised: edits inside data keep the layout, edits in headers mostly do not.
    expect(compared).toBeGreaterThan(50);
    expect(deferred).toBeGreaterThan(10);
  });
});

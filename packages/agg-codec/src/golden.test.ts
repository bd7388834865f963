import { describe, expect, it } from 'vitest';
import { deaggregate, encodeAggregate } from './index.js';
import type { DeaggregateInput } from './index.js';
import { loadGolden, utf8 } from './__tests__/golden-fixture.js';

const golden = loadGolden();

describe.skipIf(golden === undefined)('KPL golden vectors (../shared/fixtures/kpl-golden.json)', () => {
  const fixture = golden ?? { vectors: [], events: [] };

  it('has vectors and events to check', () => {
    expect(fixture.vectors.length).toBeGreaterThan(0);
    expect(fixture.events.length).toBeGreaterThan(0);
  });

  for (const vector of fixture.vectors) {
    it(`reproduces the KPL blob byte for byte: ${vector.name}`, () => {
      const records = vector.records.map((record) => ({ ...record, data: utf8(record.data) }));
      const entry = encodeAggregate(records);
      expect(Buffer.from(entry.data).toString('base64')).toBe(vector.blobBase64);
      expect(entry.partitionKey).toBe('a');
    });

    it(`decodes the KPL blob back to its records: ${vector.name}`, () => {
      const decoded = deaggregate({ data: Buffer.from(vector.blobBase64, 'base64'), partitionKey: 'a' }, { strict: true });
      expect(decoded.map((record) => ({ ...record, data: Buffer.from(record.data).toString('utf8') }))).toEqual(
        vector.records.map((record, index) => ({ ...record, aggregated: true, subSequenceNumber: index })),
      );
    });
  }

  for (const event of fixture.events) {
    it(`returns the expected user records of event ${event.name}`, () => {
      const decoded = deaggregate(event.event as unknown as DeaggregateInput);
      const sequenceNumber =
        (event.event['kinesis'] as { sequenceNumber?: string } | undefined)?.sequenceNumber ??
        (event.event['kinesisStreamRecordMetadata'] as { sequenceNumber?: string } | undefined)?.sequenceNumber;
      expect(sequenceNumber).toBeTypeOf('string');
      expect(decoded).toEqual(
        event.expectedUserRecords.map((record) => ({ ...record, data: utf8(record.data), sequenceNumber })),
      );
    });
  }
});

import type { DeaggregatedRecord } from './types.js';

/**
 * One deaggregated user record. Each shape is one object literal (no property added later), and
 * `explicitHashKey` / `sequenceNumber` are absent, not `undefined`, when there is none.
 * @internal
 */
export function subRecord(
  partitionKey: string,
  explicitHashKey: string | undefined,
  data: Uint8Array,
  subSequenceNumber: number,
  sequenceNumber: string | undefined,
): DeaggregatedRecord {
  if (explicitHashKey === undefined) {
    return sequenceNumber === undefined
      ? { partitionKey, data, aggregated: true, subSequenceNumber }
      : { partitionKey, data, aggregated: true, subSequenceNumber, sequenceNumber };
  }
  return sequenceNumber === undefined
    ? { partitionKey, explicitHashKey, data, aggregated: true, subSequenceNumber }
    : { partitionKey, explicitHashKey, data, aggregated: true, subSequenceNumber, sequenceNumber };
}

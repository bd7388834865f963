/**
 * Turns an export into PutMetricData batches: the KPL's datums as statistic sets, blank
 * dimensions omitted, at most `maxDatums` datums and about `maxBytes` of payload per request.
 */
import type { MetricDatum as CloudWatchDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { MetricDatum, MetricsExport } from '@tskpl/producer';

/** The KPL's batch limits: 20 datums and 38 KiB per PutMetricData request. */
export const KPL_MAX_DATUMS_PER_REQUEST = 20;
/** The KPL's size limit of one PutMetricData request, in bytes (38 KiB). */
export const KPL_MAX_REQUEST_BYTES = 38 * 1024;

/** Bytes a request needs besides its datums (namespace, action, version, framing); an estimate. */
const REQUEST_OVERHEAD_BYTES = 256;

/** One KPL datum as a CloudWatch statistic-set datum. */
export function toCloudWatchDatum(datum: MetricDatum, timestamp: Date, storageResolution: 1 | 60): CloudWatchDatum {
  const dimensions = [];
  for (const dimension of datum.dimensions) {
    if (dimension.value !== '') dimensions.push({ Name: dimension.name, Value: dimension.value });
  }
  return {
    MetricName: datum.name,
    Dimensions: dimensions,
    Timestamp: timestamp,
    StatisticValues: { SampleCount: datum.sampleCount, Sum: datum.sum, Minimum: datum.minimum, Maximum: datum.maximum },
    Unit: datum.unit satisfies StandardUnit,
    ...(storageResolution === 1 ? { StorageResolution: 1 } : {}),
  };
}

/** A conservative estimate of a datum's encoded size (the query encoding is the largest). */
export function estimateBytes(datum: CloudWatchDatum): number {
  let bytes = 160 + (datum.MetricName?.length ?? 0);
  for (const dimension of datum.Dimensions ?? []) bytes += 64 + (dimension.Name?.length ?? 0) + (dimension.Value?.length ?? 0);
  return bytes;
}

/** Splits the export's hierarchy into request-sized batches, in order. */
export function toBatches(
  batch: MetricsExport,
  limits: { readonly maxDatums: number; readonly maxBytes: number; readonly storageResolution: 1 | 60 },
): CloudWatchDatum[][] {
  const timestamp = new Date(batch.endTime);
  const batches: CloudWatchDatum[][] = [];
  let current: CloudWatchDatum[] = [];
  let currentBytes = REQUEST_OVERHEAD_BYTES;
  for (const datum of batch.datums) {
    if (datum.sampleCount === 0) continue;
    const converted = toCloudWatchDatum(datum, timestamp, limits.storageResolution);
    const bytes = estimateBytes(converted);
    if (current.length > 0 && (current.length >= limits.maxDatums || currentBytes + bytes > limits.maxBytes)) {
      batches.push(current);
      current = [];
      currentBytes = REQUEST_OVERHEAD_BYTES;
    }
    current.push(converted);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

import { Producer, type Logger, type ProducerOptions, type RecordResult } from '@tskpl/producer';
import type { KinesisLocal } from '@tskpl/testkit';
import type { SentRecord } from './delivery.js';

/** A logger that keeps what the producer logs, for assertions and failure messages. */
export interface CapturingLogger extends Logger {
  readonly lines: string[];
}

/** Creates a {@link CapturingLogger}. */
export function createCapturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  };
  return { lines, warn: keep('warn'), error: keep('error'), info: keep('info') };
}

/**
 * A producer for the emulator: its endpoint, dummy credentials, `us-east-1`, a 30 s request
 * timeout (a few concurrent large requests can take over 6 s on the emulator) and no metrics.
 * @param emulator - a running kinesis-local
 * @param options - overrides
 */
export function createEmulatorProducer(emulator: KinesisLocal, options: ProducerOptions = {}): Producer {
  return new Producer({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    requestTimeoutMs: 30_000,
    metricsLevel: 'none',
    ...options,
  });
}

/**
 * Records with unique payloads: `count` records keyed by `keyOf(index)`, data `${tag}:${index}:` padded to `size` bytes.
 * @param tag - makes payloads unique across tests
 * @param count - how many
 * @param keyOf - partition key of record `index`
 * @param size - data bytes per record (at least the header)
 */
export function makeRecords(tag: string, count: number, keyOf: (index: number) => string, size = 64): SentRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const header = `${tag}:${index}:`;
    return { partitionKey: keyOf(index), data: new TextEncoder().encode(header.padEnd(Math.max(size, header.length), '.')) };
  });
}

/**
 * Puts every record (awaiting admission, as a user loop does) and waits for every outcome.
 * @param producer - the producer
 * @param target - `{ streamName }` or `{ streamARN }`
 * @param records - what to put
 */
export async function putAll(producer: Producer, target: { streamName: string } | { streamARN: string }, records: readonly SentRecord[]): Promise<RecordResult[]> {
  const outcomes = [];
  for (const record of records) outcomes.push(await producer.putRecord({ ...target, ...record }));
  return Promise.all(outcomes.map((outcome) => outcome.wait()));
}

/** `errorCode: count` of the failed results, for assertion messages. */
export function failureSummary(results: readonly RecordResult[]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const result of results) if (!result.successful) summary[result.errorCode ?? '?'] = (summary[result.errorCode ?? '?'] ?? 0) + 1;
  return summary;
}

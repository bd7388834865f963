/**
 * The load side of the reliability matrix: a real Producer against a fake Kinesis, records with
 * unique ids, every outcome tracked.
 */
import type { Outcome, Producer, ProducerOptions, RecordResult } from '@tskpl/producer';
import type { FakeKinesis } from '@tskpl/testkit';

/** One record put by the load, and what became of it. */
export interface TrackedRecord {
  readonly index: number;
  readonly partitionKey: string;
  readonly data: Uint8Array;
  /** Wall-clock time just before `putRecord` was called. */
  readonly putAtWall: number;
  outcome: Outcome | undefined;
  result: RecordResult | undefined;
  /** Wall-clock time the result arrived. */
  settledAtWall: number | undefined;
}

/** Prefix of every record's data: `#` + 8-digit index + `|`; the rest is filler. */
const ID_LENGTH = 10;

/** The data of record `index`: its id, then `size - 10` filler bytes derived from the index. */
export function recordData(index: number, size: number): Uint8Array {
  const data = new Uint8Array(Math.max(size, ID_LENGTH));
  data.set(Buffer.from(`#${String(index).padStart(8, '0')}|`, 'latin1'));
  for (let offset = ID_LENGTH; offset < data.length; offset++) data[offset] = (index * 31 + offset) & 0xff;
  return data;
}

/** The index a record's data was made for, or -1 when the data is not one of ours. */
export function indexOfData(data: Uint8Array): number {
  if (data.length < ID_LENGTH || data[0] !== 0x23 || data[9] !== 0x7c) return -1;
  const value = Number(Buffer.from(data.subarray(1, 9)).toString('latin1'));
  return Number.isInteger(value) ? value : -1;
}

/** Producer options pointing at the fake, with a quiet logger that keeps what it was told. */
export function producerOptions(fake: FakeKinesis, logs: string[], overrides: ProducerOptions = {}): ProducerOptions {
  const keep = (level: string) => (message: string): void => {
    logs.push(`${level}: ${message}`);
  };
  return {
    endpoint: fake.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    logger: { warn: keep('warn'), error: keep('error') },
    ...overrides,
  };
}

/** How to drive the load. */
export interface LoadPlan {
  readonly count: number;
  /** Records per second; `Infinity` puts as fast as admission allows. */
  readonly ratePerSecond: number;
  /** Bytes of data per record (≥ 10). @defaultValue 200 */
  readonly recordBytes?: number;
  /** Called before record `index` is put when `index` is a key of this map (inject a fault, reshard…). */
  readonly at?: ReadonlyMap<number, () => void | Promise<void>>;
  /** Replaces the data of chosen records (e.g. one oversize record). */
  readonly dataOf?: (index: number) => Uint8Array | undefined;
}

/** Puts `plan.count` records, paced, and tracks each outcome. Does not wait for the outcomes. */
export async function putLoad(producer: Producer, streamName: string, plan: LoadPlan): Promise<TrackedRecord[]> {
  const records: TrackedRecord[] = [];
  const started = performance.now();
  for (let index = 0; index < plan.count; index++) {
    const hook = plan.at?.get(index);
    if (hook !== undefined) await hook();
    if (Number.isFinite(plan.ratePerSecond)) {
      const dueMs = (index / plan.ratePerSecond) * 1000;
      const waitMs = dueMs - (performance.now() - started);
      if (waitMs > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    const data = plan.dataOf?.(index) ?? recordData(index, plan.recordBytes ?? 200);
    const tracked: TrackedRecord = {
      index,
      partitionKey: `key-${index}`,
      data,
      putAtWall: Date.now(),
      outcome: undefined,
      result: undefined,
      settledAtWall: undefined,
    };
    records.push(tracked);
    const outcome = await producer.putRecord({ streamName, partitionKey: tracked.partitionKey, data });
    tracked.outcome = outcome;
    void outcome.wait().then((result) => {
      tracked.result = result;
      tracked.settledAtWall = Date.now();
    });
  }
  return records;
}

/** Waits for every tracked outcome. */
export async function waitAll(records: readonly TrackedRecord[]): Promise<void> {
  await Promise.all(records.map((record) => record.outcome?.wait()));
  // The `then` callbacks that fill `result` run after wait() resolves: let them.
  await new Promise((resolve) => setImmediate(resolve));
}

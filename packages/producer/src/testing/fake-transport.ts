/**
 * A scripted, in-process Kinesis for unit tests: routes entries by hash key like the service,
 * stores them, and lets a test inject failures per request or per entry, hold responses, split
 * shards and page ListShards. Published as `@tskpl/producer/testing` so users test their own code
 * the way the producer's tests do (pass it as `ProducerOptions.transport`).
 */
import { createHash } from 'node:crypto';
import type { KinesisRecordEntry } from '@tskpl/agg-codec';
import type {
  KinesisTransport,
  ListShardsPage,
  ListShardsRequest,
  PutRecordsResponse,
  PutRecordsResultEntry,
  ShardDescription,
  StreamRef,
  StreamSummary,
} from '../transport/transport.js';
import { ArgumentError } from '../errors/errors.js';

const MAX_HASH = (1n << 128n) - 1n;

/** A shard of a {@link FakeStream}. */
export interface FakeShard {
  /** The shard's number (`shardId-000000000007` → 7). */
  readonly number: number;
  /** The shard's id as Kinesis writes it. */
  readonly shardId: string;
  /** First hash key of its range (inclusive). */
  readonly start: bigint;
  /** Last hash key of its range (inclusive). */
  readonly end: bigint;
  /** False once split: closed shards take no records and are not listed. */
  open: boolean;
  /** The shard it was split from. */
  readonly parentShardId?: string;
}

/** A PutRecords entry the fake stored. */
export interface StoredRecord {
  /** The shard that stored it. */
  readonly shardId: string;
  /** Its sequence number (increasing across the fake). */
  readonly sequenceNumber: string;
  /** The entry as sent: an aggregate or a single user record (decode with `@tskpl/agg-codec`). */
  readonly entry: KinesisRecordEntry;
}

/** A stream of the fake. */
export interface FakeStream {
  /** The stream's name. */
  readonly name: string;
  /** Every shard, open and closed. */
  readonly shards: FakeShard[];
  /** Every stored entry, in arrival order. */
  readonly stored: StoredRecord[];
  /** Reported by DescribeStreamSummary (default 1024). */
  maxRecordSizeInKiB: number;
  /** Reported by DescribeStreamSummary when set (`AUTO` makes the producer stop predicting). */
  recordDistributionStrategy?: string;
  /** Number the next child shard gets. */
  nextShardNumber: number;
}

/** One PutRecords call the fake received. */
export interface PutRecordsCall {
  /** The stream it addressed. */
  readonly stream: StreamRef;
  /** Its entries, in request order. */
  readonly entries: readonly KinesisRecordEntry[];
}

/** Decides one entry's result; `undefined` lets the fake store it. */
export type EntryScript = (entry: KinesisRecordEntry, index: number, call: PutRecordsCall) => PutRecordsResultEntry | undefined;
/** Decides a whole call: an error to throw, a response to return, or `undefined` to behave normally. */
export type RequestScript = (call: PutRecordsCall) => Error | PutRecordsResponse | undefined;

/** Makes an AWS-style error: `name` is the code, `$metadata.httpStatusCode` the status. */
export function awsError(code: string, status = 400, message = code): Error {
  const error = new Error(message) as Error & { $metadata: { httpStatusCode: number } };
  error.name = code;
  error.$metadata = { httpStatusCode: status };
  return error;
}

/** The 128-bit hash key that routes an entry: its explicit hash key, else the MD5 of its partition key. */
export function hashKeyOfEntry(entry: KinesisRecordEntry): bigint {
  if (entry.explicitHashKey !== undefined) return BigInt(entry.explicitHashKey);
  return BigInt(`0x${createHash('md5').update(entry.partitionKey, 'utf8').digest('hex')}`);
}

/** `7` → `shardId-000000000007`. */
export function shardIdFor(number: number): string {
  return `shardId-${String(number).padStart(12, '0')}`;
}

/** The scripted in-process Kinesis (see the file's header). */
export class FakeTransport implements KinesisTransport {
  /** Streams by name. */
  readonly streams = new Map<string, FakeStream>();
  /** Every PutRecords call, in order. */
  readonly calls: PutRecordsCall[] = [];
  /** Every ListShards request, in order. */
  readonly listShardsCalls: ListShardsRequest[] = [];
  /** Per-request scripts, consumed in order (one per call); `undefined` entries mean "behave normally". */
  readonly requestScripts: Array<RequestScript | undefined> = [];
  /** Applied to every entry of every call while set. */
  entryScript: EntryScript | undefined;
  /** Applied to every call while set (after `requestScripts`). */
  requestScript: RequestScript | undefined;
  /** Fails ListShards while set. */
  listShardsError: Error | undefined;
  /** While set, ListShards calls wait for this promise before answering (a slow first answer). */
  listShardsGate: Promise<void> | undefined;
  /** Fails DescribeStreamSummary while set. */
  describeError: Error | undefined;
  /** Shards per ListShards page. */
  pageSize = 1000;
  /** While true, PutRecords calls wait until `release()`. */
  hold = false;
  /** True once the producer released the transport (`close()`). */
  destroyed = false;
  private readonly held: Array<() => void> = [];
  private sequence = 0n;

  /** Creates the fake with `streams` (name → shard count), shards splitting the hash range evenly. */
  constructor(streams: Record<string, number> = {}) {
    for (const [name, shardCount] of Object.entries(streams)) this.addStream(name, shardCount);
  }

  /** Adds (or replaces) a stream of `shardCount` shards splitting the hash range evenly. */
  addStream(name: string, shardCount: number): FakeStream {
    const shards: FakeShard[] = [];
    const width = (MAX_HASH + 1n) / BigInt(shardCount);
    for (let index = 0; index < shardCount; index++) {
      const start = width * BigInt(index);
      const end = index === shardCount - 1 ? MAX_HASH : start + width - 1n;
      shards.push({ number: index, shardId: shardIdFor(index), start, end, open: true });
    }
    const stream: FakeStream = { name, shards, stored: [], maxRecordSizeInKiB: 1024, nextShardNumber: shardCount };
    this.streams.set(name, stream);
    return stream;
  }

  /** Splits an open shard in two at its midpoint; returns the children. */
  split(name: string, shardNumber: number): [FakeShard, FakeShard] {
    const stream = this.stream(name);
    const parent = stream.shards.find((shard) => shard.number === shardNumber && shard.open);
    if (!parent) throw new ArgumentError('shardNumber', `Stream ${name} has no open shard ${shardNumber}.`);
    parent.open = false;
    const middle = (parent.start + parent.end) / 2n;
    const left: FakeShard = { number: stream.nextShardNumber, shardId: shardIdFor(stream.nextShardNumber++), start: parent.start, end: middle, open: true, parentShardId: parent.shardId };
    const right: FakeShard = { number: stream.nextShardNumber, shardId: shardIdFor(stream.nextShardNumber++), start: middle + 1n, end: parent.end, open: true, parentShardId: parent.shardId };
    stream.shards.push(left, right);
    return [left, right];
  }

  /** The stream named `name`; throws an ArgumentError when there is none. */
  stream(name: string): FakeStream {
    const stream = this.streams.get(name);
    if (!stream) throw new ArgumentError('name', `The fake has no stream ${name}.`);
    return stream;
  }

  /** Lets every held call proceed. */
  release(): void {
    this.hold = false;
    for (const proceed of this.held.splice(0)) proceed();
  }

  /** PutRecords calls waiting for `release()`. */
  get heldCalls(): number {
    return this.held.length;
  }

  /** Stores each entry in the open shard its hash key falls in, unless a script decides otherwise. */
  async putRecords(stream: StreamRef, entries: readonly KinesisRecordEntry[]): Promise<PutRecordsResponse> {
    const call: PutRecordsCall = { stream, entries: [...entries] };
    this.calls.push(call);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    const scripted = this.requestScripts.length > 0 ? this.requestScripts.shift() : undefined;
    for (const script of [scripted, this.requestScript]) {
      const outcome = script?.(call);
      if (outcome instanceof Error) throw outcome;
      if (outcome !== undefined) return outcome;
    }
    const target = this.streams.get(stream.streamName ?? stream.streamARN?.split('/').pop() ?? '');
    if (!target) throw awsError('ResourceNotFoundException', 400, `Stream ${stream.streamName ?? stream.streamARN} not found`);
    let failed = 0;
    const records = entries.map((entry, index): PutRecordsResultEntry => {
      const override = this.entryScript?.(entry, index, call);
      if (override !== undefined) {
        if (override.errorCode) failed++;
        return override;
      }
      const hashKey = hashKeyOfEntry(entry);
      const shard = target.shards.find((candidate) => candidate.open && candidate.start <= hashKey && hashKey <= candidate.end)!;
      const sequenceNumber = String(++this.sequence);
      target.stored.push({ shardId: shard.shardId, sequenceNumber, entry });
      return { shardId: shard.shardId, sequenceNumber };
    });
    return { records, failedRecordCount: failed };
  }

  /** Lists the open shards, `pageSize` per page. */
  async listShards(request: ListShardsRequest): Promise<ListShardsPage> {
    this.listShardsCalls.push(request);
    if (this.listShardsGate) await this.listShardsGate;
    if (this.listShardsError) throw this.listShardsError;
    let name: string;
    let offset = 0;
    if (request.nextToken !== undefined) {
      const [tokenName, tokenOffset] = request.nextToken.split('#');
      name = tokenName!;
      offset = Number(tokenOffset);
    } else {
      name = request.stream.streamName ?? request.stream.streamARN?.split('/').pop() ?? '';
    }
    const stream = this.streams.get(name);
    if (!stream) throw awsError('ResourceNotFoundException', 400, `Stream ${name} not found`);
    const open = stream.shards.filter((shard) => shard.open);
    const page = open.slice(offset, offset + this.pageSize);
    const shards: ShardDescription[] = page.map((shard) => ({
      shardId: shard.shardId,
      startingHashKey: shard.start.toString(),
      endingHashKey: shard.end.toString(),
      ...(shard.parentShardId ? { parentShardId: shard.parentShardId } : {}),
    }));
    const next = offset + this.pageSize;
    return next < open.length ? { shards, nextToken: `${name}#${next}` } : { shards };
  }

  /** The stream's summary (ARN, maximum record size, distribution strategy). */
  async describeStreamSummary(stream: StreamRef): Promise<StreamSummary> {
    if (this.describeError) throw this.describeError;
    const name = stream.streamName ?? stream.streamARN?.split('/').pop() ?? '';
    const target = this.streams.get(name);
    if (!target) throw awsError('ResourceNotFoundException', 400, `Stream ${name} not found`);
    return {
      streamName: name,
      streamARN: `arn:aws:kinesis:us-east-1:123456789012:stream/${name}`,
      maxRecordSizeInKiB: target.maxRecordSizeInKiB,
      streamStatus: 'ACTIVE',
      ...(target.recordDistributionStrategy ? { recordDistributionStrategy: target.recordDistributionStrategy } : {}),
    };
  }

  /** Marks the transport released. */
  destroy(): void {
    this.destroyed = true;
  }
}

/**
 * A scripted, in-process Kinesis for unit tests: routes entries by hash key like the service,
 * stores them, and lets a test inject failures per request or per entry, hold responses, split
 * shards and page ListShards.
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

const MAX_HASH = (1n << 128n) - 1n;

export interface FakeShard {
  readonly number: number;
  readonly shardId: string;
  readonly start: bigint;
  readonly end: bigint;
  open: boolean;
  readonly parentShardId?: string;
}

export interface StoredRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly entry: KinesisRecordEntry;
}

export interface FakeStream {
  readonly name: string;
  readonly shards: FakeShard[];
  readonly stored: StoredRecord[];
  maxRecordSizeInKiB: number;
  recordDistributionStrategy?: string;
  nextShardNumber: number;
}

export interface PutRecordsCall {
  readonly stream: StreamRef;
  readonly entries: readonly KinesisRecordEntry[];
}

type EntryScript = (entry: KinesisRecordEntry, index: number, call: PutRecordsCall) => PutRecordsResultEntry | undefined;
type RequestScript = (call: PutRecordsCall) => Error | PutRecordsResponse | undefined;

/** Makes an AWS-style error: `name` is the code, `$metadata.httpStatusCode` the status. */
export function awsError(code: string, status = 400, message = code): Error {
  const error = new Error(message) as Error & { $metadata: { httpStatusCode: number } };
  error.name = code;
  error.$metadata = { httpStatusCode: status };
  return error;
}

export function hashKeyOfEntry(entry: KinesisRecordEntry): bigint {
  if (entry.explicitHashKey !== undefined) return BigInt(entry.explicitHashKey);
  return BigInt(`0x${createHash('md5').update(entry.partitionKey, 'utf8').digest('hex')}`);
}

export function shardIdFor(number: number): string {
  return `shardId-${String(number).padStart(12, '0')}`;
}

export class FakeTransport implements KinesisTransport {
  readonly streams = new Map<string, FakeStream>();
  readonly calls: PutRecordsCall[] = [];
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
  destroyed = false;
  private readonly held: Array<() => void> = [];
  private sequence = 0n;

  constructor(streams: Record<string, number> = {}) {
    for (const [name, shardCount] of Object.entries(streams)) this.addStream(name, shardCount);
  }

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
    if (!parent) throw new Error(`no open shard ${shardNumber}`);
    parent.open = false;
    const middle = (parent.start + parent.end) / 2n;
    const left: FakeShard = { number: stream.nextShardNumber, shardId: shardIdFor(stream.nextShardNumber++), start: parent.start, end: middle, open: true, parentShardId: parent.shardId };
    const right: FakeShard = { number: stream.nextShardNumber, shardId: shardIdFor(stream.nextShardNumber++), start: middle + 1n, end: parent.end, open: true, parentShardId: parent.shardId };
    stream.shards.push(left, right);
    return [left, right];
  }

  stream(name: string): FakeStream {
    const stream = this.streams.get(name);
    if (!stream) throw new Error(`no stream ${name}`);
    return stream;
  }

  /** Lets every held call proceed. */
  release(): void {
    this.hold = false;
    for (const proceed of this.held.splice(0)) proceed();
  }

  get heldCalls(): number {
    return this.held.length;
  }

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

  destroy(): void {
    this.destroyed = true;
  }
}

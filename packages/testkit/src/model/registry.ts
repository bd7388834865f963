import type { FakeKinesisConfig } from '../config/options.js';
import { KinesisServiceError, resourceNotFound, validationError } from '../errors.js';
import { parseSequenceNumber } from './sequence-number.js';
import type { StoredRecord } from './stored-record.js';
import { Stream, type RecordDistributionStrategy, type StreamMode } from './stream.js';

/** What is needed to create a stream. */
export interface StreamSpec {
  name: string;
  mode: StreamMode;
  shardCount: number;
  maxRecordSizeInKiB: number;
  recordDistributionStrategy: RecordDistributionStrategy;
  enforceShardLimits: boolean | undefined;
}

const STREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,128}$/;

/** All streams of one fake server: live ones by name and ARN, every one ever created by id. */
export class StreamRegistry {
  private readonly live = new Map<string, Stream>();
  private readonly byId = new Map<number, Stream>();
  private nextId = 1;

  constructor(private readonly config: FakeKinesisConfig) {}

  /** The ARN a stream of this name gets on this server. */
  arnOf(name: string): string {
    return `arn:aws:kinesis:${this.config.region}:${this.config.accountId}:stream/${name}`;
  }

  /** Creates a stream; `ResourceInUseException` when the name is taken. */
  create(spec: StreamSpec): Stream {
    if (!STREAM_NAME_PATTERN.test(spec.name)) {
      throw validationError(`StreamName must match [a-zA-Z0-9_.-]{1,128}, received ${JSON.stringify(spec.name)}.`);
    }
    if (this.live.has(spec.name)) {
      throw new KinesisServiceError('ResourceInUseException', `Stream ${spec.name} under account ${this.config.accountId} already exists.`);
    }
    const stream = new Stream({
      id: this.nextId++,
      name: spec.name,
      arn: this.arnOf(spec.name),
      mode: spec.mode,
      shardCount: spec.shardCount,
      maxRecordSizeInKiB: spec.maxRecordSizeInKiB,
      recordDistributionStrategy: spec.recordDistributionStrategy,
      enforceShardLimits: spec.enforceShardLimits,
      createdAtMs: this.config.clock.now(),
      limits: this.config.shardLimits,
    });
    this.live.set(stream.name, stream);
    this.byId.set(stream.id, stream);
    return stream;
  }

  /** Deletes a stream: it disappears from the API at once; the ledger still shows its records. */
  delete(stream: Stream): void {
    stream.deleted = true;
    this.live.delete(stream.name);
  }

  /** The live stream with this name, or undefined. */
  byName(name: string): Stream | undefined {
    return this.live.get(name);
  }

  /** The stream (live or deleted) with this internal id. */
  byStreamId(id: number): Stream | undefined {
    return this.byId.get(id);
  }

  /** Resolves `StreamName` and/or `StreamARN` of a request to a live stream, as the service does. */
  resolve(streamName: unknown, streamArn: unknown): Stream {
    if (streamName !== undefined && typeof streamName !== 'string') throw validationError('StreamName must be a string.');
    if (streamArn !== undefined && typeof streamArn !== 'string') throw validationError('StreamARN must be a string.');
    if (streamName === undefined && streamArn === undefined) {
      throw new KinesisServiceError('InvalidArgumentException', 'Either StreamName or StreamARN must be provided.');
    }
    const name = streamName ?? nameFromArn(streamArn as string);
    const stream = name === undefined ? undefined : this.live.get(name);
    if (stream === undefined || (streamArn !== undefined && stream.arn !== streamArn)) {
      throw resourceNotFound(`Stream ${name ?? String(streamArn)} under account ${this.config.accountId} not found.`);
    }
    return stream;
  }

  /** Live streams in creation order. */
  liveStreams(): Stream[] {
    return [...this.live.values()].sort((a, b) => a.id - b.id);
  }

  /** Every stream ever created, deleted ones included, in creation order. */
  allStreams(): Stream[] {
    return [...this.byId.values()];
  }

  /** Finds a stored record by shard id and sequence number, in any stream (the stream is encoded in the number). */
  findRecord(shardId: string, sequenceNumber: string): StoredRecord | undefined {
    const parts = parseSequenceNumber(sequenceNumber);
    if (parts === undefined) return undefined;
    const shard = this.byId.get(parts.streamId)?.shardById(shardId);
    if (shard === undefined) return undefined;
    const record = shard.records[shard.indexAtOrAfter(parts.counter)];
    return record !== undefined && record.sequenceNumber === sequenceNumber ? record : undefined;
  }
}

/** The stream name in `arn:aws:kinesis:<region>:<account>:stream/<name>`, or undefined. */
export function nameFromArn(arn: string): string | undefined {
  const index = arn.indexOf(':stream/');
  return arn.startsWith('arn:') && index > 0 ? arn.slice(index + 8) : undefined;
}

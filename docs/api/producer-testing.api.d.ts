// API report of @tskpl/producer/testing: dist/testing.d.ts without comments. Regenerate: see test-runtimes/test/api-report.test.ts.
import { KinesisRecordEntry } from "@tskpl/agg-codec";
interface Timer {
    cancel(): void;
}
interface Clock {
    now(): number;
    wallTime(): number;
    setTimer(delayMs: number, callback: () => void): Timer;
    random(): number;
    hold?(): Timer;
    immediate?(callback: () => void): void;
}
interface FakeClock extends Clock {
    advance(ms: number): void;
    runNext(): boolean;
    runAll(limit?: number): number;
    readonly pendingTimers: number;
    readonly holds: number;
}
declare function createFakeClock(options?: {
    startMs?: number;
    seed?: number;
    random?: () => number;
}): FakeClock;
interface StreamRef {
    readonly streamName?: string;
    readonly streamARN?: string;
}
interface PutRecordsResultEntry {
    readonly sequenceNumber?: string;
    readonly shardId?: string;
    readonly errorCode?: string;
    readonly errorMessage?: string;
}
interface PutRecordsResponse {
    readonly records: readonly PutRecordsResultEntry[];
    readonly failedRecordCount?: number;
}
interface ShardDescription {
    readonly shardId: string;
    readonly startingHashKey: string;
    readonly endingHashKey: string;
    readonly parentShardId?: string;
    readonly adjacentParentShardId?: string;
}
interface ListShardsPage {
    readonly shards: readonly ShardDescription[];
    readonly nextToken?: string;
}
type ListShardsRequest = {
    readonly stream: StreamRef;
    readonly maxResults: number;
    readonly nextToken?: undefined;
} | {
    readonly stream?: undefined;
    readonly maxResults: number;
    readonly nextToken: string;
};
interface StreamSummary {
    readonly streamName?: string;
    readonly streamARN?: string;
    readonly maxRecordSizeInKiB?: number;
    readonly streamStatus?: string;
    readonly streamMode?: string;
    readonly recordDistributionStrategy?: string;
}
interface PutRecordsOptions {
    readonly signal?: AbortSignal;
    readonly onBodyWritten?: () => void;
}
interface KinesisTransport {
    putRecords(stream: StreamRef, entries: readonly KinesisRecordEntry[], options?: PutRecordsOptions): Promise<PutRecordsResponse>;
    listShards(request: ListShardsRequest): Promise<ListShardsPage>;
    describeStreamSummary(stream: StreamRef): Promise<StreamSummary>;
    destroy(): void;
}
interface FakeShard {
    readonly number: number;
    readonly shardId: string;
    readonly start: bigint;
    readonly end: bigint;
    open: boolean;
    readonly parentShardId?: string;
}
interface StoredRecord {
    readonly shardId: string;
    readonly sequenceNumber: string;
    readonly entry: KinesisRecordEntry;
}
interface FakeStream {
    readonly name: string;
    readonly shards: FakeShard[];
    readonly stored: StoredRecord[];
    maxRecordSizeInKiB: number;
    recordDistributionStrategy?: string;
    nextShardNumber: number;
}
interface PutRecordsCall {
    readonly stream: StreamRef;
    readonly entries: readonly KinesisRecordEntry[];
}
type EntryScript = (entry: KinesisRecordEntry, index: number, call: PutRecordsCall) => PutRecordsResultEntry | undefined;
type RequestScript = (call: PutRecordsCall) => Error | PutRecordsResponse | undefined;
declare function awsError(code: string, status?: number, message?: string): Error;
declare function hashKeyOfEntry(entry: KinesisRecordEntry): bigint;
declare function shardIdFor(number: number): string;
declare class FakeTransport implements KinesisTransport {
    readonly streams: Map<string, FakeStream>;
    readonly calls: PutRecordsCall[];
    readonly listShardsCalls: ListShardsRequest[];
    readonly requestScripts: Array<RequestScript | undefined>;
    entryScript: EntryScript | undefined;
    requestScript: RequestScript | undefined;
    listShardsError: Error | undefined;
    listShardsGate: Promise<void> | undefined;
    describeError: Error | undefined;
    pageSize: number;
    hold: boolean;
    destroyed: boolean;
    private readonly held;
    private sequence;
    constructor(streams?: Record<string, number>);
    addStream(name: string, shardCount: number): FakeStream;
    split(name: string, shardNumber: number): [
        FakeShard,
        FakeShard
    ];
    stream(name: string): FakeStream;
    release(): void;
    get heldCalls(): number;
    putRecords(stream: StreamRef, entries: readonly KinesisRecordEntry[]): Promise<PutRecordsResponse>;
    listShards(request: ListShardsRequest): Promise<ListShardsPage>;
    describeStreamSummary(stream: StreamRef): Promise<StreamSummary>;
    destroy(): void;
}
export { type EntryScript, type FakeClock, type FakeShard, type FakeStream, FakeTransport, type PutRecordsCall, type RequestScript, type StoredRecord, awsError, createFakeClock, hashKeyOfEntry, shardIdFor };

// The baseline: what a competent Node user writes today without a KPL. aws-kinesis-agg's
// RecordAggregator packs user records into ~50 KB Kinesis records (its README's approach; the
// aggregate is routed by its first record's partition key, shard-unaware as its examples are),
// and @aws-sdk/client-kinesis PutRecords sends them in batches of ≤ 500 entries / ≤ 5 MiB with
// at most 8 requests in flight, over a keep-alive agent, with the SDK's standard retries
// (maxAttempts 3). Failed entries are re-sent as they are, after a fixed 100 ms, until they
// succeed; add() waits while a batch is queued or a re-send is pending. A 100 ms linger timer
// sends partial batches, like recordMaxBufferedTimeMs.
// With `aggregate: false` the user records go straight into PutRecords (the unaggregated variant).
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const require = createRequire(import.meta.url);
const { RecordAggregator } = require('aws-kinesis-agg');

const AGGREGATE_BYTES = 51_200;
const BATCH_ENTRIES = 500;
const BATCH_BYTES = 5 * 1024 * 1024;

export class BaselineProducer {
  #client;
  #agent;
  #streamName;
  #aggregate;
  #maxInFlight;
  #lingerMs;
  #retryDelayMs;
  #trackLatency;
  #aggregator = new RecordAggregator();
  #aggregatorTimes = [];
  #batch = newBatch();
  #queue = [];
  #inFlight = 0;
  #retriesPending = 0;
  #linger = undefined;
  #roomWaiters = [];
  #idleWaiters = [];
  delivered = 0;
  entriesSent = 0;
  entriesFailed = 0;
  requests = 0;
  latencies = [];

  constructor({ endpoint, region, streamName, aggregate = true, maxInFlight = 8, lingerMs = 100, retryDelayMs = 100, trackLatency = false }) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
    this.#client = new KinesisClient({
      endpoint,
      region,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({ httpAgent: this.#agent, requestTimeout: 10_000, connectionTimeout: 6000 }),
    });
    this.#streamName = streamName;
    this.#aggregate = aggregate;
    this.#maxInFlight = maxInFlight;
    this.#lingerMs = lingerMs;
    this.#retryDelayMs = retryDelayMs;
    this.#trackLatency = trackLatency;
  }

  /** Buffers one user record; returns a promise only when the caller must wait for room. */
  add(record) {
    const now = this.#trackLatency ? performance.now() : 0;
    if (this.#aggregate) {
      const aggregator = this.#aggregator;
      if (aggregator.length() > 0 && aggregator.totalBytes + aggregator.calculateUserRecordSize(record) > AGGREGATE_BYTES) this.#closeAggregate();
      aggregator.addUserRecord(record);
      if (this.#trackLatency) this.#aggregatorTimes.push(now);
    } else {
      this.#addEntry({ PartitionKey: record.partitionKey, Data: record.data }, 1, this.#trackLatency ? [now] : undefined);
    }
    if (this.#linger === undefined) this.#linger = setTimeout(() => this.#onLinger(), this.#lingerMs);
    // Backpressure: wait while a full batch is queued behind the 8 in flight, or entries wait for
    // their re-send (counting those keeps a throttled producer from buffering without bound).
    if (this.#queue.length > 0 || this.#retriesPending > 0) return new Promise((resolve) => this.#roomWaiters.push(resolve));
    return undefined;
  }

  /** Sends what is buffered and resolves once every record added so far is delivered. */
  flush() {
    this.#sendBuffered();
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close() {
    clearTimeout(this.#linger);
    this.#client.destroy();
    this.#agent.destroy();
  }

  #onLinger() {
    this.#linger = undefined;
    this.#sendBuffered();
  }

  #sendBuffered() {
    if (this.#aggregate && this.#aggregator.length() > 0) this.#closeAggregate();
    if (this.#batch.entries.length > 0) this.#dispatch(this.#batch);
    this.#batch = newBatch();
  }

  #closeAggregate() {
    const count = this.#aggregator.length();
    const { partitionKey, data } = this.#aggregator.build();
    const times = this.#trackLatency ? this.#aggregatorTimes : undefined;
    this.#aggregatorTimes = [];
    this.#addEntry({ PartitionKey: partitionKey, Data: data }, count, times);
  }

  #addEntry(entry, count, times) {
    const bytes = entry.Data.length + entry.PartitionKey.length;
    const batch = this.#batch;
    if (batch.entries.length + 1 > BATCH_ENTRIES || batch.bytes + bytes > BATCH_BYTES) {
      this.#dispatch(batch);
      this.#batch = newBatch();
    }
    this.#batch.entries.push(entry);
    this.#batch.counts.push(count);
    if (times !== undefined) this.#batch.times.push(times);
    this.#batch.bytes += bytes;
  }

  #dispatch(batch) {
    this.#queue.push(batch);
    this.#pump();
  }

  #pump() {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) void this.#send(this.#queue.shift());
    if (this.#queue.length === 0 && this.#retriesPending === 0) for (const resolve of this.#roomWaiters.splice(0)) resolve();
  }

  async #send(batch) {
    this.#inFlight++;
    this.requests++;
    this.entriesSent += batch.entries.length;
    let failed = batch;
    try {
      const output = await this.#client.send(new PutRecordsCommand({ StreamName: this.#streamName, Records: batch.entries }));
      failed = newBatch();
      const now = performance.now();
      output.Records.forEach((result, index) => {
        if (result.ErrorCode === undefined) {
          this.delivered += batch.counts[index];
          if (this.#trackLatency) for (const started of batch.times[index]) this.latencies.push(now - started);
        } else {
          failed.entries.push(batch.entries[index]);
          failed.counts.push(batch.counts[index]);
          if (this.#trackLatency) failed.times.push(batch.times[index]);
        }
      });
    } catch {
      // the whole request failed after the SDK's retries: re-send it as it is
    }
    this.#inFlight--;
    if (failed.entries.length > 0) {
      this.entriesFailed += failed.entries.length;
      this.#retriesPending++;
      setTimeout(() => {
        this.#retriesPending--;
        this.#queue.unshift(failed);
        this.#pump();
      }, this.#retryDelayMs);
    }
    this.#pump();
    if (this.#idle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #idle() {
    return this.#inFlight === 0 && this.#queue.length === 0 && this.#retriesPending === 0 && this.#batch.entries.length === 0 && (!this.#aggregate || this.#aggregator.length() === 0);
  }
}

function newBatch() {
  return { entries: [], counts: [], times: [], bytes: 0 };
}

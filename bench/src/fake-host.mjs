// The fake Kinesis (@tskpl/testkit) in its own process, so its CPU cost never lands on the
// thread of the producer being measured. Driven over the IPC channel by fake-client.mjs:
// each message { id, command, args } is answered with { id, result } or { id, error }.
//
// Besides the fake's own controls, it checks a stream's ledger against what the producers put
// (see verifyStream): every user record is identified by the writer and index written into the
// first 8 bytes of its data (records.mjs).
import { AggregateBuilder, deaggregate } from '@tskpl/agg-codec';
import { startFakeKinesis } from '@tskpl/testkit';
import { readRecordId } from './records.mjs';

const fake = await startFakeKinesis({ enforceShardLimits: true, retainRecordData: true });

/** Splits each stored Kinesis record into its user records, as a KCL consumer would. */
function* userRecordsOf(ledgerRecords) {
  for (const stored of ledgerRecords) {
    const parts = deaggregate({ data: stored.data, partitionKey: stored.partitionKey });
    const aggregated = parts.length > 0 && parts[0].aggregated;
    for (const part of parts) yield { stored, part, aggregated, members: parts.length };
  }
}

/**
 * Checks the ledger of one stream against the records put: expected[writer] = how many records
 * that writer put (indices 0 … n − 1). Counts missing ones, copies beyond the first, wrong keys,
 * and how the user records went out (aggregated or alone; the arrival span of those sent alone).
 */
function verifyStream({ streamName, expected, keyCount }) {
  const seen = expected.map((count) => new Uint8Array(count));
  const result = {
    entries: 0, aggregatedEntries: 0, userRecords: 0, userRecordsAggregated: 0, userRecordsAlone: 0,
    duplicates: 0, missing: 0, unknown: 0, wrongKey: 0, firstArrivalMs: undefined, lastAloneArrivalMs: undefined,
    aloneIndexMax: -1, aloneInFirstSecond: 0,
  };
  const stored = fake.ledger.records(streamName);
  result.entries = stored.length;
  for (const { stored: entry, part, aggregated, members } of userRecordsOf(stored)) {
    if (part.subSequenceNumber === 0) {
      if (aggregated) result.aggregatedEntries++;
      result.firstArrivalMs = Math.min(result.firstArrivalMs ?? Infinity, entry.arrivalTimeMs);
    }
    void members;
    result.userRecords++;
    const { writer, index } = readRecordId(part.data);
    const marks = seen[writer];
    if (marks === undefined || index >= marks.length) {
      result.unknown++;
      continue;
    }
    if (marks[index] === 1) result.duplicates++;
    marks[index] = 1;
    if (part.partitionKey !== `pk-${index % keyCount}`) result.wrongKey++;
    if (aggregated) result.userRecordsAggregated++;
    else {
      result.userRecordsAlone++;
      result.aloneIndexMax = Math.max(result.aloneIndexMax, index);
      result.lastAloneArrivalMs = Math.max(result.lastAloneArrivalMs ?? 0, entry.arrivalTimeMs);
    }
  }
  for (const marks of seen) for (const mark of marks) if (mark === 0) result.missing++;
  // Cold start: user records that went out alone within the first second after the first arrival.
  for (const { stored: entry, aggregated } of userRecordsOf(stored)) {
    if (!aggregated && entry.arrivalTimeMs < result.firstArrivalMs + 1000) result.aloneInFirstSecond++;
  }
  return result;
}

/**
 * The entries an ideal packing needs for the user records that arrived in [fromMs, toMs): per
 * shard, in arrival order, greedily packed into KPL aggregates of at most aggregationMaxSize
 * bytes (the same encoder the producer uses, so framing overhead is counted exactly).
 */
function idealEntries({ streamName, fromMs, toMs, aggregationMaxSize }) {
  let ideal = 0;
  let userRecords = 0;
  let userBytes = 0;
  const stored = fake.ledger.records(streamName).filter((entry) => entry.arrivalTimeMs >= fromMs && entry.arrivalTimeMs < toMs);
  const byShard = new Map();
  for (const entry of stored) {
    const list = byShard.get(entry.shardId) ?? [];
    list.push(entry);
    byShard.set(entry.shardId, list);
  }
  for (const entries of byShard.values()) {
    entries.sort((a, b) => a.arrivalTimeMs - b.arrivalTimeMs);
    const builder = new AggregateBuilder();
    for (const { part } of userRecordsOf(entries)) {
      const record = { partitionKey: part.partitionKey, data: part.data };
      userRecords++;
      userBytes += part.data.length + part.partitionKey.length;
      if (builder.count > 0 && builder.sizeWith(record) > aggregationMaxSize) {
        ideal++;
        builder.reset();
      }
      builder.add(record);
    }
    if (builder.count > 0) ideal++;
  }
  return { ideal, userRecords, userBytes, entriesArrived: stored.length };
}

/**
 * Per-key order of one stream as a KCL consumer reads it: shards parent before child (ids grow
 * that way), each in sequence order, aggregates deaggregated (dropped whole when a member hashes
 * outside the shard). Records of writer 0 with index i have key pk-(i % keyCount), so per key the
 * put order is the index order: a first copy with a lower index than one already read is a reordering.
 */
function verifyOrder({ streamName, keyCount }) {
  const shards = [...fake.stream(streamName).shards].sort((a, b) => a.shardId.localeCompare(b.shardId));
  const highest = new Map();
  const seen = new Set();
  let reorderings = 0;
  for (const shard of shards) {
    for (const stored of fake.ledger.records(streamName, shard.shardId)) {
      const range = { start: shard.startingHashKey, end: shard.endingHashKey };
      for (const part of deaggregate({ data: stored.data, partitionKey: stored.partitionKey, explicitHashKey: stored.explicitHashKey }, { shardHashRange: range })) {
        const { writer, index } = readRecordId(part.data);
        const id = `${writer}:${index}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const key = `${writer}:${index % keyCount}`;
        if (index < (highest.get(key) ?? -1)) reorderings++;
        else highest.set(key, index);
      }
    }
  }
  return { reorderings, distinct: seen.size };
}

const commands = {
  endpoint: () => ({ endpoint: fake.endpoint, region: fake.region }),
  createStream: ({ streamName, shardCount, enforceShardLimits }) => {
    fake.createStream({ streamName, shardCount, enforceShardLimits });
    return true;
  },
  reset: () => {
    fake.reset();
    return true;
  },
  counters: ({ streamName }) => {
    const snapshot = fake.counters();
    return { now: Date.now(), totals: snapshot.streams[streamName]?.totals ?? null, requests: snapshot.requests };
  },
  // Counter snapshots taken by this process's own timers at the given wall-clock times, so a
  // producer process whose event loop is busy cannot delay them.
  snapshotsAt: ({ streamName, atMs }) =>
    Promise.all(
      atMs.map(
        (at) =>
          new Promise((resolve) =>
            setTimeout(() => resolve({ now: Date.now(), totals: fake.counters().streams[streamName]?.totals ?? null }), Math.max(0, at - Date.now())),
          ),
      ),
    ),
  latency: ({ ms }) => {
    fake.faults.rate({ operation: 'PutRecords', fault: { type: 'latency', ms }, probability: 1 });
    return true;
  },
  clearFaults: () => {
    fake.faults.clear();
    return true;
  },
  verifyStream,
  verifyOrder,
  idealEntries,
  memory: () => process.memoryUsage(),
};

process.on('message', async ({ id, command, args }) => {
  try {
    const result = await commands[command](args ?? {});
    process.send({ id, result });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => {
  void fake.close().then(() => process.exit(0));
});
process.send({ ready: true });

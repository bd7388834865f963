// Streams an NDJSON file (or stdin) into Kinesis: one record per line, through producer.writable()
// and stream.pipeline. Backpressure runs end to end: when the producer holds maxOutstandingRecords
// records without an outcome, its writable stops taking lines, the pipeline stops pulling, and the
// file (or the pipe feeding stdin) is no longer read, so memory stays flat whatever the input size.
// The pipeline resolves once every line has its outcome.
//
// Run: node dist/pipe-ndjson.js orders.ndjson
//      gunzip -c orders.ndjson.gz | node dist/pipe-ndjson.js
// Environment: STREAM_NAME, KINESIS_ENDPOINT, AWS_REGION (see connection.ts); PARTITION_KEY_FIELD
// (default "id") names the JSON field used as partition key; MAX_OUTSTANDING bounds the records
// in flight (default 100 000). Prints a JSON summary; exits 1 if a line was invalid or a record failed.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { pipeline } from 'node:stream/promises';
import { Producer, type WritableRecord } from '@tskpl/producer';
import { connectionFromEnv } from './connection.js';

const { streamName, producerOptions } = connectionFromEnv();
const keyField = process.env.PARTITION_KEY_FIELD ?? 'id';
const producer = new Producer({ ...producerOptions, metricsLevel: 'none', maxOutstandingRecords: Number(process.env.MAX_OUTSTANDING ?? 100_000) });

const summary = { lines: 0, invalid: 0, delivered: 0, failed: 0, peakOutstanding: 0 };

/** One record per non-empty line; the line's bytes as they are, keyed by its `keyField`. */
function toRecord(line: string, lineNumber: number): WritableRecord | undefined {
  try {
    const key = (JSON.parse(line) as Record<string, unknown>)[keyField];
    return { partitionKey: key === undefined || key === null || key === '' ? `line-${lineNumber}` : String(key), data: Buffer.from(line) };
  } catch {
    summary.invalid += 1;
    console.error(`line ${lineNumber}: not JSON, skipped`);
    return undefined;
  }
}

/** Splits byte chunks into lines (UTF-8 safe across chunk boundaries) and maps them to records. */
async function* ndjsonRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<WritableRecord> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const emit = function* (lines: string[]) {
    for (const line of lines) {
      if (line.trim() === '') continue;
      summary.lines += 1;
      summary.peakOutstanding = Math.max(summary.peakOutstanding, producer.outstandingRecords);
      const record = toRecord(line, summary.lines);
      if (record !== undefined) yield record;
    }
  };
  for await (const chunk of chunks) {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    yield* emit(lines);
  }
  yield* emit([rest + decoder.end()]);
}

const path = process.argv[2];
await pipeline(
  path === undefined || path === '-' ? process.stdin : createReadStream(path),
  ndjsonRecords,
  producer.writable({
    streamName,
    // With onResult, a failed record is counted here instead of failing the whole pipeline.
    onResult: (result) => {
      if (result.successful) summary.delivered += 1;
      else summary.failed += 1;
    },
  }),
);
await producer.close();
console.log(JSON.stringify(summary));
process.exitCode = summary.failed === 0 && summary.invalid === 0 ? 0 : 1;

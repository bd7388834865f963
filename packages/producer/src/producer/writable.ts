/**
 * `producer.writable()`: a Writable in object mode, so `stream.pipeline(source, writable)` gets
 * the producer's backpressure for free. The stream finishes only when every written record has
 * its outcome; a failed record makes the stream fail unless `onResult` takes charge of results.
 */
import { Writable } from 'node:stream';
import { RecordFailedError } from '../errors/errors.js';
import type { RecordResult } from '../record/user-record.js';
import type { Outcome } from '../record/outcome.js';
import type { PutRecordInput } from './validate.js';

/** What a writable accepts per chunk: the record minus the stream, which the writable fixes. */
export type WritableRecord = Omit<PutRecordInput, 'streamName' | 'streamARN'>;

/** Options of {@link Producer.writable}. */
export interface RecordWritableOptions {
  /** The stream every written record is put to (by name); give this or `streamARN`. */
  readonly streamName?: string;
  /** The stream every written record is put to (by ARN); wins over `streamName`. */
  readonly streamARN?: string;
  /**
   * Receives every result. When given, failed records are reported here and do not fail the
   * stream; when absent, the first failed record destroys the stream with an error naming its code.
   */
  readonly onResult?: (result: RecordResult, record: WritableRecord) => void;
  /** Chunks buffered by the Writable itself before `write()` returns false. @defaultValue 64 */
  readonly highWaterMark?: number;
}

interface PutsRecords {
  putRecord(input: PutRecordInput): Promise<Outcome>;
}

/** Creates the Writable for a producer. */
export function createRecordWritable(producer: PutsRecords, options: RecordWritableOptions): Writable {
  const pending = new Set<Promise<void>>();
  let failure: Error | undefined;

  const writable = new Writable({
    objectMode: true,
    highWaterMark: options.highWaterMark ?? 64,
    write(chunk: WritableRecord, _encoding, callback) {
      if (failure) {
        callback(failure);
        return;
      }
      producer
        .putRecord({ ...chunk, streamName: options.streamName, streamARN: options.streamARN } as PutRecordInput)
        .then((outcome) => {
          const settled = outcome.wait().then((result) => {
            pending.delete(settled);
            if (options.onResult) options.onResult(result, chunk);
            else if (!result.successful && failure === undefined) {
              failure = new RecordFailedError(result);
              writable.destroy(failure);
            }
          });
          pending.add(settled);
          callback();
        }, (error: Error) => callback(error));
    },
    final(callback) {
      Promise.all(pending).then(() => callback(failure ?? null), callback);
    },
  });
  return writable;
}

/**
 * `@tskpl/producer/testing`: what the producer's own tests use, for testing code that uses a
 * producer without AWS and without waiting on real time. `createFakeClock` drives every timer
 * of a producer built with `clock`; `FakeTransport` is a scripted in-process Kinesis passed as
 * `transport`. See the package README, "Testing your code".
 */
export { createFakeClock } from '../clock/fake-clock.js';
export type { FakeClock } from '../clock/fake-clock.js';
export { awsError, FakeTransport, hashKeyOfEntry, shardIdFor } from './fake-transport.js';
export type { EntryScript, FakeShard, FakeStream, PutRecordsCall, RequestScript, StoredRecord } from './fake-transport.js';

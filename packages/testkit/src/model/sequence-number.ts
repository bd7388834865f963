/**
 * Sequence numbers are 56-digit decimal strings, so string order is numeric order:
 * "49" + stream id (6 digits) + stream-wide counter (24 digits) + shard number (12 digits) + 12 zeros.
 * The counter is shared by the stream's shards, so numbers increase per shard and are unique per
 * stream; a child shard's numbers are above its parents'.
 */

const ZEROS = '000000000000';

/** Formats the sequence number of the record written with `counter` on shard `shardNumber`. */
export function formatSequenceNumber(streamId: number, counter: number, shardNumber: number): string {
  return `49${String(streamId).padStart(6, '0')}${String(counter).padStart(24, '0')}${String(shardNumber).padStart(12, '0')}${ZEROS}`;
}

/** The parts of a sequence number made by {@link formatSequenceNumber}. */
export interface SequenceNumberParts {
  streamId: number;
  counter: number;
  shardNumber: number;
}

const SEQUENCE_PATTERN = /^49(\d{6})(\d{24})(\d{12})0{12}$/;

/** Parses a sequence number made by this fake; undefined for anything else. */
export function parseSequenceNumber(value: string): SequenceNumberParts | undefined {
  const match = SEQUENCE_PATTERN.exec(value);
  if (match === null) return undefined;
  return { streamId: Number(match[1]), counter: Number(match[2]), shardNumber: Number(match[3]) };
}

/** The shard id Kinesis gives shard number `shardNumber`: `shardId-` + 12 digits. */
export function formatShardId(shardNumber: number): string {
  return `shardId-${String(shardNumber).padStart(12, '0')}`;
}

const SHARD_ID_PATTERN = /^shardId-(\d{12})$/;

/** The shard number of a shard id, or undefined when it is not in Kinesis's format. */
export function parseShardId(shardId: string): number | undefined {
  const match = SHARD_ID_PATTERN.exec(shardId);
  return match === null ? undefined : Number(match[1]);
}

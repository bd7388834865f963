/**
 * The shared-memory layout both sides agree on: a control block of Int32 words and a byte ring
 * for framed records. Positions in the ring are byte counts that wrap at 2^32 (differences are
 * taken modulo 2^32, and the ring is smaller than 2^31 bytes, so wrap-around is harmless).
 */

/** Index of each Int32 word in the control block. */
export const Control = {
  /** Lifecycle of the worker, one of {@link WorkerState}. Written by the worker. */
  state: 0,
  /** Bytes ever written to the ring (mod 2^32). Written by the caller. */
  writePosition: 1,
  /** Bytes ever consumed from the ring (mod 2^32). Written by the worker. */
  readPosition: 2,
  /** Bumped by the worker whenever something a blocked caller may wait for changed. */
  signal: 3,
  /** 1 while the worker is parked waiting for the ring to fill. */
  workerSleeping: 4,
  /** 1 while the caller is blocked (so the worker knows to notify it). */
  callerWaiting: 5,
  /** Incremented by the worker every heartbeat; a blocked caller watches it. */
  heartbeat: 6,
  /** The worker's exit code once it died. */
  exitCode: 7,
  /** Number of result messages posted (the caller drains the port when this moves). */
  resultsPosted: 8,
} as const;

/** Words in the control block. */
export const CONTROL_WORDS = 16;

/** Worker lifecycle values stored in {@link Control.state}. */
export const WorkerState = {
  starting: 0,
  ready: 1,
  startupFailed: 2,
  closed: 3,
  died: 4,
} as const;

/** Frame kinds in the ring. */
export const FrameKind = {
  /** A record, inline. */
  record: 1,
  /** A record too large for the ring: its body travels through the port, posted before the frame. */
  recordViaPort: 2,
  /** Ask the worker to flush the producer. */
  flush: 3,
  /** Ask the worker to close the producer and exit. */
  close: 4,
  /** Padding to the end of the ring; the next frame starts at offset 0. */
  wrap: 5,
} as const;

/**
 * Fixed header of every frame, little-endian:
 * `u32 length` (whole frame, a multiple of 4), `u8 kind`, `u8 flags`, `u16 reserved`,
 * `f64 id` (the record's or request's sequence number; never reused).
 */
export const FRAME_HEADER_BYTES = 16;

/** Extra header of a record frame: `u32 streamBytes`, `u32 partitionKeyBytes`, `u32 explicitHashKeyBytes`, `u32 dataBytes`. */
export const RECORD_HEADER_BYTES = 16;

/** Record flag: the stream string is an ARN (`streamARN`), not a name. */
export const FLAG_STREAM_ARN = 1;
/** Record flag: an explicit hash key follows the partition key. */
export const FLAG_EXPLICIT_HASH_KEY = 2;

/** Rounds up to the next multiple of 4, the alignment of every frame. */
export function align4(value: number): number {
  return (value + 3) & ~3;
}

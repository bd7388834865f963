/**
 * A shard's write limiter: one token bucket for records, one for bytes, refilled continuously from
 * the injected clock's time. An entry passes when one record token is available and either its
 * bytes are available or the byte bucket is full (so a record larger than the burst, possible on
 * 10 MiB streams, is not refused forever: it passes from a full bucket and leaves a debt).
 */
export class ShardLimiter {
  private recordTokens: number;
  private byteTokens: number;
  private readonly recordCapacity: number;
  private readonly byteCapacity: number;
  private readonly recordsPerMs: number;
  private readonly bytesPerMs: number;
  private lastRefillMs: number;

  constructor(recordsPerSecond: number, bytesPerSecond: number, burstSeconds: number, nowMs: number) {
    this.recordCapacity = Math.max(1, recordsPerSecond * burstSeconds);
    this.byteCapacity = Math.max(1, bytesPerSecond * burstSeconds);
    this.recordsPerMs = recordsPerSecond / 1000;
    this.bytesPerMs = bytesPerSecond / 1000;
    this.recordTokens = this.recordCapacity;
    this.byteTokens = this.byteCapacity;
    this.lastRefillMs = nowMs;
  }

  /** Takes one record of `bytes` if the shard can accept it now; false means throttled (nothing taken). */
  tryTake(bytes: number, nowMs: number): boolean {
    if (nowMs > this.lastRefillMs) {
      const elapsed = nowMs - this.lastRefillMs;
      this.recordTokens = Math.min(this.recordCapacity, this.recordTokens + elapsed * this.recordsPerMs);
      this.byteTokens = Math.min(this.byteCapacity, this.byteTokens + elapsed * this.bytesPerMs);
      this.lastRefillMs = nowMs;
    }
    // A small epsilon absorbs floating-point drift in the refill (e.g. 0.999999 tokens after 1 ms).
    if (this.recordTokens < 1 - 1e-9) return false;
    if (this.byteTokens < bytes - 1e-6 && this.byteTokens < this.byteCapacity) return false;
    this.recordTokens -= 1;
    this.byteTokens -= bytes;
    return true;
  }
}

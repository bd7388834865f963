/**
 * Reusable request-body buffers. Fresh large buffers are expensive to touch for the first time
 * (page faults: on the 2-core benchmark VM, ~60 ms per 7 MB body, more than parsing it), so bodies
 * that nothing keeps a view of go back to the pool and are reused.
 */
export class BodyBufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly maxBuffers = 8,
    private readonly maxPooledBytes = 16 * 1024 * 1024,
  ) {}

  /** A buffer of at least `size` bytes (its contents are garbage). */
  acquire(size: number): Buffer {
    for (let index = 0; index < this.free.length; index++) {
      const candidate = this.free[index]!;
      if (candidate.length >= size) {
        this.free.splice(index, 1);
        return candidate;
      }
    }
    // Powers of two from 64 KiB, so buffers fit later bodies of similar size.
    let capacity = 65536;
    while (capacity < size) capacity *= 2;
    return Buffer.allocUnsafeSlow(capacity > this.maxPooledBytes ? size : capacity);
  }

  /** Returns a buffer from {@link acquire}; it must not be referenced any more. */
  release(buffer: Buffer): void {
    if (buffer.length > this.maxPooledBytes) return;
    if (this.free.length >= this.maxBuffers) {
      // Keep the largest buffers: they fit every body.
      let smallest = 0;
      for (let index = 1; index < this.free.length; index++) if (this.free[index]!.length < this.free[smallest]!.length) smallest = index;
      if (this.free[smallest]!.length >= buffer.length) return;
      this.free.splice(smallest, 1);
    }
    this.free.push(buffer);
  }
}

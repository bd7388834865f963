/** Keeps the last `limit` bytes a child process wrote, for the failure log. */
export class OutputTail {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  /** @param limit - bytes to keep (older chunks are dropped whole) */
  constructor(private readonly limit: number) {}

  /** Appends a chunk, dropping the oldest ones beyond the limit. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) this.size -= this.chunks.shift()?.length ?? 0;
  }

  /** The kept output as UTF-8 text. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** The last `count` lines of the kept output. */
  lastLines(count: number): string {
    return this.text().trimEnd().split('\n').slice(-count).join('\n');
  }
}

import { varintSize } from './varint.js';

/**
 * One deduplicated key table of an aggregate (partition keys or explicit hash keys): keys in
 * first-insertion order, looked up through a `Map` (never an object, so `"__proto__"` and
 * numeric-looking keys behave), with reference counts so that LIFO removal can shrink it.
 * @internal
 */
export class KeyTable {
  /**
   * Keys in table order. Like the other arrays, written by index and valid up to
   * {@link KeyTable.length}: `clear()` keeps their capacity for the next aggregate.
   */
  readonly keys: string[] = [];
  /** UTF-8 byte length of each key, in table order. */
  readonly byteLengths: number[] = [];
  /** Serialized size of the table inside `AggregatedRecord` (tag + length + bytes per key). */
  serializedSize = 0;
  /** Reference count of each key, in table order. */
  private readonly references: number[] = [];
  /** Key → index. Values are small integers, so a new key allocates no entry object. */
  private readonly indices = new Map<string, number>();
  private count = 0;

  /** Index of `key`, or -1 when it is not in the table. */
  indexOf(key: string): number {
    return this.indices.get(key) ?? -1;
  }

  /** Number of keys in the table. */
  get length(): number {
    return this.count;
  }

  /** Serialized size a new key would add (tag, length varint, bytes). */
  static entrySize(byteLength: number): number {
    return 1 + varintSize(byteLength) + byteLength;
  }

  /** Adds one reference to `key`; returns its index. */
  add(key: string): number {
    const index = this.indices.get(key);
    if (index !== undefined) {
      this.references[index]!++;
      return index;
    }
    return this.addNew(key, Buffer.byteLength(key, 'utf8'));
  }

  /** Adds one reference to the key at `index` (from {@link KeyTable.indexOf}, table unchanged since). */
  addReference(index: number): void {
    (this.references[index] as number)++;
  }

  /**
   * Appends `key`, known to be absent (from {@link KeyTable.indexOf}, table unchanged since), with
   * its UTF-8 byte length; returns its index.
   */
  addNew(key: string, byteLength: number): number {
    const index = this.count++;
    this.indices.set(key, index);
    this.references[index] = 1;
    this.keys[index] = key;
    this.byteLengths[index] = byteLength;
    this.serializedSize += KeyTable.entrySize(byteLength);
    return index;
  }

  /**
   * Drops one reference to the key at `index`. Used LIFO only, so a key whose count reaches zero
   * is always the last one in the table and indices of the others never move.
   */
  release(index: number): void {
    const remaining = (this.references[index] as number) - 1;
    this.references[index] = remaining;
    if (remaining === 0) {
      this.indices.delete(this.keys[index] as string);
      this.count--;
      this.serializedSize -= KeyTable.entrySize(this.byteLengths[index] as number);
    }
  }

  /** Empties the table. */
  clear(): void {
    // A Map cannot be emptied without freeing its table; the arrays keep theirs.
    this.indices.clear();
    this.count = 0;
    this.serializedSize = 0;
  }
}

/**
 * Copies on admission. `putRecord` keeps a copy of the caller's bytes (as the KPL serializes in
 * `addUserRecord`), so a caller may reuse or change its buffer as soon as `putRecord` returns and
 * what is stored is what was passed. Small records are copied into a shared slab, one allocation
 * per slab rather than per record; a slab is freed by the garbage collector once every record
 * copied into it has settled and released its bytes.
 */
import type { UserRecordState } from '../record/user-record.js';

/** Bytes per slab. A slab stays alive while any record in it is outstanding, so it is kept small. */
export const SLAB_BYTES = 16 * 1024;
/** Records larger than this get an allocation of their own, so that one slab holds at least eight. */
export const SLAB_MAX_RECORD_BYTES = 2 * 1024;

/** Copies byte arrays into slabs. */
export class ByteSlab {
  #slab = new Uint8Array(SLAB_BYTES);
  #offset = 0;

  /**
   * Replaces the record's bytes with a copy that nothing else refers to: a range of the current
   * slab (`data`, `dataOffset`, `dataLength`), or an array of its own for a large record. No view
   * object is made per record; the codec's builder reads the range (agg-codec `BuilderRecord`).
   */
  copyInto(record: UserRecordState): void {
    const data = record.data;
    const length = data.length;
    if (length > SLAB_MAX_RECORD_BYTES) {
      const own = new Uint8Array(length);
      own.set(data);
      record.data = own;
      record.dataOffset = 0;
      record.dataLength = length;
      return;
    }
    if (this.#offset + length > SLAB_BYTES) {
      this.#slab = new Uint8Array(SLAB_BYTES);
      this.#offset = 0;
    }
    const offset = this.#offset;
    this.#slab.set(data, offset);
    this.#offset = offset + length;
    record.data = this.#slab;
    record.dataOffset = offset;
    record.dataLength = length;
  }
}

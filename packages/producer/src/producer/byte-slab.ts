/**
 * Copies on admission. `putRecord` keeps a copy of the caller's bytes (as the KPL serializes in
 * `addUserRecord`), so a caller may reuse or change its buffer as soon as `putRecord` returns and
 * what is stored is what was passed. Small records are copied into a shared slab, one allocation
 * per slab rather than per record; a slab is freed by the garbage collector once every record
 * copied into it has settled and released its bytes.
 */

/** Bytes per slab. A slab stays alive while any record in it is outstanding, so it is kept small. */
export const SLAB_BYTES = 16 * 1024;
/** Records larger than this get an allocation of their own, so that one slab holds at least eight. */
export const SLAB_MAX_RECORD_BYTES = 2 * 1024;

/** Copies byte arrays into slabs. */
export class ByteSlab {
  #slab = new Uint8Array(SLAB_BYTES);
  #offset = 0;

  /** A copy of `data` that nothing else refers to. */
  copy(data: Uint8Array): Uint8Array {
    const length = data.length;
    if (length > SLAB_MAX_RECORD_BYTES) {
      const own = new Uint8Array(length);
      own.set(data);
      return own;
    }
    if (this.#offset + length > SLAB_BYTES) {
      this.#slab = new Uint8Array(SLAB_BYTES);
      this.#offset = 0;
    }
    const view = this.#slab.subarray(this.#offset, this.#offset + length);
    view.set(data);
    this.#offset += length;
    return view;
  }
}

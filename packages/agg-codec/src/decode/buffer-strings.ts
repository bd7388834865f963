/**
 * Buffer#utf8Slice / #latin1Slice skip toString's argument handling and give the same results;
 * toString is the fallback where they are missing.
 */
type Slice = (this: Buffer, start: number, end: number) => string;
const prototype = Buffer.prototype as unknown as { utf8Slice?: Slice; latin1Slice?: Slice };
const utf8Slice = prototype.utf8Slice;
const latin1Slice = prototype.latin1Slice;

/**
 * `bytes[start … end)` decoded as UTF-8 the WHATWG way (Node's decoder).
 * @internal
 */
export const decodeUtf8 =
  typeof utf8Slice === 'function'
    ? (bytes: Buffer, start: number, end: number): string => utf8Slice.call(bytes, start, end)
    : (bytes: Buffer, start: number, end: number): string => bytes.toString('utf8', start, end);

/**
 * `bytes[start … end)` as one character per byte.
 * @internal
 */
export const decodeLatin1 =
  typeof latin1Slice === 'function'
    ? (bytes: Buffer, start: number, end: number): string => latin1Slice.call(bytes, start, end)
    : (bytes: Buffer, start: number, end: number): string => bytes.toString('latin1', start, end);

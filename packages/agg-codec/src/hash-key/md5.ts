import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: crypto.BinaryLike, outputEncoding: 'buffer') => Buffer;

// `crypto.hash` (Node ≥ 20.12 / 21.7) skips the Hash object; older runtimes use createHash.
const oneShotHash = (crypto as { hash?: OneShotHash }).hash;

/**
 * MD5 digest (16 bytes) of `data`; a string is hashed as its UTF-8 bytes.
 * @internal
 */
export const md5: (data: Uint8Array | string) => Buffer =
  typeof oneShotHash === 'function'
    ? (data) => oneShotHash('md5', data, 'buffer')
    : (data) => crypto.createHash('md5').update(data).digest();

import * as crypto from 'node:crypto';
import { md5OfShortAscii } from './md5-short.js';

type OneShotHash = {
  (algorithm: string, data: crypto.BinaryLike, outputEncoding: 'buffer'): Buffer;
  (algorithm: string, data: crypto.BinaryLike, outputEncoding: 'latin1'): string;
};

// `crypto.hash` (Node ≥ 20.12 / 21.7) skips the Hash object; older runtimes use createHash.
const oneShotHash = (crypto as unknown as { hash?: OneShotHash }).hash;

/**
 * MD5 digest (16 bytes) of `data`; a string is hashed as its UTF-8 bytes.
 * @internal
 */
export const md5: (data: Uint8Array | string) => Buffer =
  typeof oneShotHash === 'function'
    ? (data) => oneShotHash('md5', data, 'buffer')
    : (data) => crypto.createHash('md5').update(data).digest();

/**
 * MD5 of a string's UTF-8 bytes as a fresh 16-byte array. On the hot path (one call per user
 * record): `crypto.hash` with `latin1` output costs about a third of its `buffer` output on
 * Node 20 (measured 0.34 µs vs 1.0 µs), and copying 16 char codes is cheaper than a Buffer.
 * @internal
 */
export const md5OfString: (data: string) => Uint8Array =
  typeof oneShotHash === 'function'
    ? (data) => {
        const digest = md5OfShortAscii(data) ?? oneShotHash('md5', data, 'latin1');
        const bytes = new Uint8Array(16);
        for (let index = 0; index < 16; index++) bytes[index] = digest.charCodeAt(index);
        return bytes;
      }
    : (data) => crypto.createHash('md5').update(data).digest();

/**
 * MD5 of a string's UTF-8 bytes as a 16-character binary string (char code = byte).
 * @internal
 */
export const md5BinaryOfString: (data: string) => string =
  typeof oneShotHash === 'function'
    ? (data) => oneShotHash('md5', data, 'latin1')
    : (data) => crypto.createHash('md5').update(data).digest().toString('latin1');

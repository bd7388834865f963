import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5BinaryOfString, md5OfString } from './md5.js';
import { partitionKeyHashBinary } from './binary-key.js';
import { partitionKeyHash } from './hash-key.js';
import { md5OfShortAscii } from './md5-short.js';

const native = (text: string): string => createHash('md5').update(text, 'utf8').digest().toString('latin1');

/** A deterministic ASCII string of `length` characters (codes 0 … 127). */
function ascii(length: number, seed: number): string {
  let text = '';
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    text += String.fromCharCode(state >>> 25);
  }
  return text;
}

describe('md5OfShortAscii', () => {
  it('matches the native MD5 for every length of one block (0 … 55), including control characters and 0x7f', () => {
    for (let length = 0; length <= 55; length++) {
      for (let seed = 1; seed <= 40; seed++) {
        const text = ascii(length, seed * 7919 + length);
        expect(md5OfShortAscii(text)).toBe(native(text));
      }
    }
    expect(md5OfShortAscii('\x7f'.repeat(55))).toBe(native('\x7f'.repeat(55)));
    expect(md5OfShortAscii('')).toBe(native(''));
  });

  it('leaves input longer than one block or not ASCII to the native hash', () => {
    expect(md5OfShortAscii('x'.repeat(56))).toBeUndefined();
    expect(md5OfShortAscii('é')).toBeUndefined();
    expect(md5OfShortAscii('key-\u{1F600}')).toBeUndefined();
  });

  it('md5BinaryOfString, md5OfString and the partition-key hashes give the native digest on both paths', () => {
    for (const text of ['a', 'pk-1234', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(300), 'clé', '日本語', '\u{1F600}'.repeat(20)]) {
      expect(md5BinaryOfString(text)).toBe(native(text));
      expect(Buffer.from(md5OfString(text)).toString('latin1')).toBe(native(text));
      expect(partitionKeyHashBinary(text)).toBe(native(text));
      expect(Buffer.from(partitionKeyHash(text)).toString('latin1')).toBe(native(text));
    }
    // An unpaired surrogate is hashed as the KPL writes it ('?'), on the native path.
    expect(partitionKeyHashBinary('a\uD800')).toBe(native('a?'));
  });
});

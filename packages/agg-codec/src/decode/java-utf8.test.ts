import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8AsJava } from './java-utf8.js';

const units = (text: string): string => Array.from({ length: text.length }, (_, index) => text.charCodeAt(index).toString(16).padStart(4, '0')).join(' ');
const decode = (hex: string): string => {
  const bytes = Buffer.from(`7e${hex}7e`, 'hex'); // inside other bytes, so offsets are exercised
  return decodeUtf8AsJava(bytes, 1, bytes.length - 1);
};

describe('decodeUtf8AsJava (UTF-8 as the KCL decodes key strings)', () => {
  // Bytes → UTF-16 units, as JDK 17's `new String(bytes, StandardCharsets.UTF_8)` returns them
  // (recorded with a JDK 17.0.15; Node's TextDecoder differs on the first eight).
  it.each([
    ['eda080', 'fffd'], // encoded surrogate: one U+FFFD (Node: three)
    ['edbfbf', 'fffd'],
    ['edb080', 'fffd'],
    ['eda0', 'fffd'], // cut off by the end (Node: two)
    ['eda041', 'fffd 0041'], // third byte not a continuation (Node: two U+FFFD)
    ['eda080edb080', 'fffd fffd'], // a CESU-8 surrogate pair (Node: six)
    ['61eda08062', '0061 fffd 0062'],
    ['ed', 'fffd'],
    ['ed9fbf', 'd7ff'],
    ['e08080', 'fffd fffd fffd'], // overlong: one per byte, as Node
    ['e0a0', 'fffd'],
    ['c0af', 'fffd fffd'],
    ['c3', 'fffd'],
    ['c341', 'fffd 0041'],
    ['80', 'fffd'],
    ['ff', 'fffd'],
    ['f08f8080', 'fffd fffd fffd fffd'],
    ['f4908080', 'fffd fffd fffd fffd'],
    ['f5808080', 'fffd fffd fffd fffd'],
    ['f09f98', 'fffd'],
    ['f09f9841', 'fffd 0041'],
    ['f09f41', 'fffd 0041'],
    ['f0', 'fffd'],
    ['e282', 'fffd'],
    ['e28241', 'fffd 0041'],
    ['efbfbd', 'fffd'], // a genuine U+FFFD
    ['f09f9880', 'd83d de00'],
  ])('%s → %s', (hex, expected) => {
    expect(units(decode(hex))).toBe(expected);
  });

  it('equals Node’s decoder on well-formed UTF-8 and differs only where an encoded surrogate (ED A0 … ED BF) starts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(decodeUtf8AsJava(bytes, 0, bytes.length)).toBe(text);
      }),
    );
    const interesting = fc.constantFrom(0x41, 0x80, 0x9f, 0xa0, 0xbf, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff);
    fc.assert(
      fc.property(fc.array(fc.oneof(interesting, fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), (values) => {
        const bytes = Buffer.from(values);
        const java = decodeUtf8AsJava(bytes, 0, bytes.length);
        expect(/[\uD800-\uDFFF]/u.test(java)).toBe(false); // no unpaired surrogate
        if (!bytes.toString('hex').match(/^(?:..)*?ed[ab]/)) expect(java).toBe(bytes.toString('utf8'));
      }),
      { numRuns: 2000 },
    );
  });
});

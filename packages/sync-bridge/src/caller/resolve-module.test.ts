import { describe, expect, it } from 'vitest';
import { exportsTarget } from './resolve-module.js';

describe('exportsTarget', () => {
  it('picks the import condition over require, in the order the package lists them', () => {
    expect(exportsTarget({ '.': { require: './index.cjs', import: './index.js' } }, '.')).toBe('./index.js');
    expect(exportsTarget({ import: { types: './index.d.ts', default: './index.js' }, require: './index.cjs' }, '.')).toBe('./index.js');
    expect(exportsTarget({ node: './node.js', default: './browser.js' }, '.')).toBe('./node.js');
    expect(exportsTarget({ browser: './browser.js', default: './any.js' }, '.')).toBe('./any.js');
    expect(exportsTarget('./main.js', '.')).toBe('./main.js');
    expect(exportsTarget([{ worker: './w.js' }, './fallback.js'], '.')).toBe('./fallback.js');
  });

  it('resolves subpaths and the longest matching pattern, and refuses what is not exported', () => {
    const exports = { '.': './index.js', './features/*': './src/features/*.js', './features/special/*': { import: './special/*.mjs' }, './package.json': './package.json' };
    expect(exportsTarget(exports, './features/a')).toBe('./src/features/a.js');
    expect(exportsTarget(exports, './features/special/b')).toBe('./special/b.mjs');
    expect(exportsTarget(exports, './package.json')).toBe('./package.json');
    expect(exportsTarget(exports, './internal')).toBeUndefined();
    expect(exportsTarget({ '.': { require: './index.cjs' } }, '.')).toBeUndefined();
    expect(exportsTarget({ '.': '../outside.js' }, '.')).toBeUndefined();
  });
});

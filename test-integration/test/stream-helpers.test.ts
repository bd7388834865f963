import { describe, expect, it } from 'vitest';
import { uniqueStreamName } from '../src/index.js';

describe('stream helpers', () => {
  it('makes distinct, valid stream names and refuses a bad prefix', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueStreamName('orders')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^orders-[0-9a-f]{12}$/);
    expect(() => uniqueStreamName('bad name')).toThrow(/\[a-zA-Z0-9_.-\]; received "bad name"/);
  });
});

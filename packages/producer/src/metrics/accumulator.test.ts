import { describe, expect, it, vi } from 'vitest';
import { Accumulator, Stats } from './accumulator.js';

describe('Accumulator random source', () => {
  it('draws the reservoir with the random source it was given, and only once the reservoir is full', () => {
    const random = vi.fn(() => 0.5);
    const accumulator = new Accumulator(4, random);
    for (let value = 1; value <= 4; value++) accumulator.put(value, 0);
    const callsWhenFull = random.mock.calls.length;
    for (let value = 5; value <= 400; value++) accumulator.put(value, 0);
    expect(random.mock.calls.length).toBeGreaterThan(callsWhenFull);
    const exported = new Stats();
    accumulator.takeExport(exported);
    expect(exported.count).toBe(400);
    expect(exported.samples).toHaveLength(4);
    for (const sample of exported.samples!) expect(sample).toBeGreaterThanOrEqual(1);
  });

  it('a series without samples never calls it', () => {
    const random = vi.fn(() => 0.5);
    const accumulator = new Accumulator(0, random);
    for (let value = 0; value < 100; value++) accumulator.put(value, value % 60);
    accumulator.takeExport(new Stats());
    expect(random).not.toHaveBeenCalled();
  });

  it('merges two full reservoirs in proportion, picking with the given source', () => {
    const a = new Stats();
    a.add(8, 36, 1, 8);
    a.samples = [1, 2, 3, 4];
    const b = new Stats();
    b.add(8, 100, 11, 14);
    b.samples = [11, 12, 13, 14];
    const random = vi.fn(() => 0);
    a.merge(b, 4, random);
    expect(random).toHaveBeenCalled();
    expect(a.count).toBe(16);
    // Equal counts: two slots from each; with random() = 0 each pick takes the first remaining value.
    expect(a.samples).toEqual([1, 2, 11, 12]);
  });
});

import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { createDelayQueue } from './delay-queue.js';

describe('delay queue', () => {
  it('releases items in due order with a single timer', () => {
    const clock = createFakeClock({ startMs: 0 });
    const released: string[] = [];
    const queue = createDelayQueue<string>(clock, (item) => released.push(item));
    queue.add('c', 300);
    queue.add('a', 100);
    queue.add('b', 200);
    queue.add('a2', 100);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(150);
    expect(released.sort()).toEqual(['a', 'a2']);
    clock.advance(200);
    expect(released).toEqual(['a', 'a2', 'b', 'c']);
    expect(clock.pendingTimers).toBe(0);
  });
});

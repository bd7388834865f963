import { expect, it } from 'vitest';
import { createManualClock } from './clock.js';

it('fires due timers in due order while advancing, and not before', () => {
  const clock = createManualClock(1000);
  const fired: string[] = [];
  clock.setTimer(() => fired.push(`b@${clock.now()}`), 20);
  clock.setTimer(() => fired.push(`a@${clock.now()}`), 10);
  const cancelled = clock.setTimer(() => fired.push('never'), 5);
  clock.clearTimer(cancelled);
  clock.advance(9);
  expect(fired).toEqual([]);
  clock.advance(11);
  expect(fired).toEqual(['a@1010', 'b@1020']);
  expect(clock.now()).toBe(1020);
  expect(clock.pendingTimers).toBe(0);
  expect(() => clock.advance(-1)).toThrow(/ms must be a finite number ≥ 0, received -1/);
});

import { expect, it } from 'vitest';
import { createManualClock } from './clock.js';

it('fires due timers in due order while advancing, and not before', () => {
  const clock = createManualClock(1000);
  const fired: string[] = [];
  clock.setTimer(20, () => fired.push(`b@${clock.now()}`));
  clock.setTimer(10, () => fired.push(`a@${clock.now()}`));
  const cancelled = clock.setTimer(5, () => fired.push('never'));
  clock.clearTimer(cancelled);
  clock.advance(9);
  expect(fired).toEqual([]);
  clock.advance(11);
  expect(fired).toEqual(['a@1010', 'b@1020']);
  expect(clock.now()).toBe(1020);
  expect(clock.pendingTimers).toBe(0);
  expect(() => clock.advance(-1)).toThrow(/ms must be a finite number ≥ 0, received -1/);
});

import { expect, it } from 'vitest';
import { TestkitOptionsError } from '../errors.js';
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

it('rejects a negative or non-finite advance with a typed TestkitOptionsError and leaves time unchanged', () => {
  const clock = createManualClock(1000);
  const fired: number[] = [];
  clock.setTimer(0, () => fired.push(clock.now()));
  for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const error = (() => {
      try {
        clock.advance(ms);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TestkitOptionsError);
    expect(error).toMatchObject({ code: 'ERR_TESTKIT_OPTIONS', name: 'TestkitOptionsError' });
  }
  expect(clock.now()).toBe(1000);
  expect(fired).toEqual([]);
});

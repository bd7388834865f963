import { describe, expect, it } from 'vitest';
import { createFakeClock } from './fake-clock.js';
import { DeadlineTimer } from './deadline-timer.js';

describe('DeadlineTimer', () => {
  it('fires once by the earliest deadline given, ignoring later ones', () => {
    const clock = createFakeClock();
    const fired: number[] = [];
    const timer = new DeadlineTimer(clock, () => fired.push(clock.now()));
    const start = clock.now();
    timer.armBy(start + 100);
    timer.armBy(start + 300);
    expect(timer.armedAt).toBe(start + 100);
    timer.armBy(start + 40);
    expect(timer.armedAt).toBe(start + 40);
    clock.advance(39);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([start + 40]);
    expect(timer.armedAt).toBe(Infinity);
    clock.advance(1000);
    expect(fired).toHaveLength(1);
  });

  it('can be re-armed from its own callback, and cancelled', () => {
    const clock = createFakeClock();
    let fired = 0;
    const timer: DeadlineTimer = new DeadlineTimer(clock, () => {
      fired++;
      if (fired < 3) timer.armBy(clock.now() + 10);
    });
    timer.armBy(clock.now() + 10);
    clock.advance(100);
    expect(fired).toBe(3);
    timer.armBy(clock.now() + 10);
    timer.cancel();
    expect(timer.armedAt).toBe(Infinity);
    clock.advance(100);
    expect(fired).toBe(3);
    timer.cancel();
  });
});

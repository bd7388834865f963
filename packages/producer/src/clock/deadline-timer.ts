/**
 * One timer that fires by the earliest deadline it was given: the idiom of every stage that
 * sends or expires "at the latest by" a time (the aggregator's batches, the collector, the retry
 * queue, the ordered lanes). Arming for a later time than the armed one changes nothing; arming
 * for an earlier one re-arms. The callback runs once per firing, after the timer is disarmed, so
 * it may arm again.
 */
import type { Clock, Timer } from './clock.js';

/** A re-armable deadline timer on an injected clock. */
export class DeadlineTimer {
  readonly #clock: Clock;
  readonly #onFire: () => void;
  #timer: Timer | undefined = undefined;
  #at = Infinity;

  constructor(clock: Clock, onFire: () => void) {
    this.#clock = clock;
    this.#onFire = onFire;
  }

  /** Clock time the timer is armed for; Infinity when disarmed. */
  get armedAt(): number {
    return this.#at;
  }

  /** Fires at `at` at the latest: arms, or re-arms earlier; a time at or after the armed one is ignored. */
  armBy(at: number): void {
    if (at >= this.#at) return;
    this.#timer?.cancel();
    this.#at = at;
    this.#timer = this.#clock.setTimer(at - this.#clock.now(), this.#fire);
  }

  /** Disarms (nothing happens when already disarmed). */
  cancel(): void {
    if (this.#timer === undefined) return;
    this.#timer.cancel();
    this.#timer = undefined;
    this.#at = Infinity;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#at = Infinity;
    this.#onFire();
  };
}

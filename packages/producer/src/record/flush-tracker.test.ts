import { describe, expect, it } from 'vitest';
import { createFlushTracker } from './flush-tracker.js';

describe('flush tracker', () => {
  it('resolves a flush only when its epoch and every earlier epoch are finished', async () => {
    const tracker = createFlushTracker();
    const early = tracker.current;
    early.unfinished = 2;
    let firstDone = false;
    void tracker.flush().then(() => (firstDone = true));
    const late = tracker.current;
    late.unfinished = 1;
    let secondDone = false;
    void tracker.flush().then(() => (secondDone = true));
    tracker.finished(late);
    await Promise.resolve();
    expect(secondDone).toBe(false);
    tracker.finished(early);
    tracker.finished(early);
    await Promise.resolve();
    expect(firstDone).toBe(true);
    expect(secondDone).toBe(true);
    expect(tracker.flushing).toBe(false);
  });
});

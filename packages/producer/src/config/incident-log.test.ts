import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../clock/fake-clock.js';
import { createIncidentLog } from './incident-log.js';

describe('incident log', () => {
  it('logs counts once per period, never once per event, and nothing when nothing happened', () => {
    const clock = createFakeClock();
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const log = createIncidentLog(clock, { warn: (message, fields) => lines.push([message, fields]), error() {} }, 1_000);
    for (let index = 0; index < 500; index++) log.count('records expired');
    log.count('entries throttled', 7);
    expect(lines).toHaveLength(0);
    clock.advance(1_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toContain('500 records expired; 7 entries throttled');
    expect(lines[0]![1]).toEqual({ 'records expired': 500, 'entries throttled': 7 });
    clock.advance(10_000);
    expect(lines).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
    log.count('records expired');
    log.close();
    expect(lines).toHaveLength(2);
    expect(clock.pendingTimers).toBe(0);
  });
});

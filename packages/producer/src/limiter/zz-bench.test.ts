import { it } from 'vitest';
import type { Clock } from '../clock/clock.js';
import { createLimiter } from './limiter.js';
import type { KinesisRecordState } from '../pipeline/types.js';

it('bench', () => {
  const data = new Uint8Array(1000);
  const make = (shard: number, deadline: number): KinesisRecordState => ({ stream: 's', records: [], predictedShard: shard, partitionKey: 'a', explicitHashKey: '0', data, deadline, expiresAt: deadline + 30000 });
  const records = Array.from({ length: 4096 }, (_, i) => make(i & 63, i));
  let t = 0;
  const clock: Clock = { now: () => (t += 0.01), wallTime: () => t, setTimer: () => ({ cancel() {} }), random: () => 0.5 };
  let released = 0;
  const limiter = createLimiter({ clock, rateLimit: 150, release: () => { released++; }, expire: () => {} });
  for (let round = 0; round < 8; round++) {
    const n = 1_000_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) limiter.put(records[i & 4095]!);
    console.log(`put, unsaturated: ${(((performance.now() - t0) * 1e6) / n).toFixed(1)} ns/op released=${released} queued=${limiter.queued}`);
  }
});

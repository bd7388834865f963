import { describe, expect, it } from 'vitest';
import type { KinesisRecordState } from '../record/user-record.js';
import { testStream } from '../__tests__/records.js';
import { createDeadlineQueue } from './deadline-queue.js';

const stream = testStream();

function record(name: string, deadline: number, expiresAt = Number.MAX_SAFE_INTEGER): KinesisRecordState {
  return { owner: stream, records: [], predictedShard: 0, mapGeneration: 0, partitionKey: name, explicitHashKey: '0', data: new Uint8Array(1), dataLength: 1, deadline, expiresAt };
}

function popAll(queue: ReturnType<typeof createDeadlineQueue>): string[] {
  const names: string[] = [];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) names.push(next.partitionKey);
  return names;
}

describe('DeadlineQueue', () => {
  it('orders by deadline, keeping arrival order among equal deadlines', () => {
    const queue = createDeadlineQueue();
    for (const [name, deadline] of [['a', 30], ['b', 10], ['c', 30], ['d', 20], ['e', 10], ['f', 40]] as const) queue.push(record(name, deadline));
    expect(queue.size).toBe(6);
    expect(queue.peek()?.partitionKey).toBe('b');
    expect(popAll(queue)).toEqual(['b', 'e', 'd', 'a', 'c', 'f']);
    expect(queue.size).toBe(0);
    expect(queue.earliestExpiry).toBe(Infinity);
  });

  it('stays ordered across compaction of a long consumed prefix', () => {
    const queue = createDeadlineQueue();
    const order: number[] = [];
    for (let index = 0; index < 5000; index++) queue.push(record(String(index), index));
    for (let index = 0; index < 3000; index++) order.push(Number(queue.pop()?.partitionKey));
    queue.push(record('late-insert', 3500.5));
    const rest = popAll(queue);
    expect(order).toEqual(Array.from({ length: 3000 }, (_, index) => index));
    expect(rest.indexOf('late-insert')).toBe(501);
    expect(rest).toHaveLength(2001);
  });

  it('removes only records past their expiry (strictly), keeping the rest in order', () => {
    const queue = createDeadlineQueue();
    queue.push(record('keep-1', 1, 100));
    queue.push(record('gone-1', 2, 50));
    queue.push(record('edge', 3, 60));
    queue.push(record('gone-2', 4, 10));
    queue.push(record('keep-2', 5, 200));
    expect(queue.earliestExpiry).toBe(10);
    const out: KinesisRecordState[] = [];
    queue.removeExpired(60, out);
    expect(out.map((item) => item.partitionKey)).toEqual(['gone-1', 'gone-2']);
    expect(queue.earliestExpiry).toBe(60);
    expect(popAll(queue)).toEqual(['keep-1', 'edge', 'keep-2']);
  });
});

import { ProducerError, TimeoutError as ProducerTimeoutError, TskplError as ProducerTskplError } from '@tskpl/producer';
import { describe, expect, it, vi } from 'vitest';
import { ArgumentError, SyncBridgeError, TimeoutError, WorkerError, WorkerExitedError } from './errors.js';
import { isTskplError, TskplError } from './tskpl-error.js';

describe('sync-bridge errors', () => {
  it('carry their code, name and retriable, and are SyncBridgeErrors and TskplErrors', () => {
    const cases: [SyncBridgeError, string, string, boolean][] = [
      [new TimeoutError('flush', 100), 'TimeoutError', 'ERR_SYNC_TIMEOUT', true],
      [new ArgumentError('timeoutMs', 'bad'), 'ArgumentError', 'ERR_INVALID_ARGUMENT', false],
      [new WorkerExitedError('gone', { exitCode: 1 }), 'WorkerExitedError', 'ERR_WORKER_EXITED', false],
      [new WorkerError('RangeError', 'boom'), 'WorkerError', 'ERR_WORKER_ERROR', false],
    ];
    for (const [error, name, code, retriable] of cases) {
      expect([error.name, error.code, error.retriable]).toEqual([name, code, retriable]);
      expect(error).toBeInstanceOf(SyncBridgeError);
      expect(error).toBeInstanceOf(TskplError);
      expect(isTskplError(error)).toBe(true);
    }
    expect(new TimeoutError('flush', 100)).not.toBeInstanceOf(WorkerError);
  });

  it("its TimeoutError and the producer's stay apart; both are TskplErrors of either package's copy", () => {
    const bridge = new TimeoutError('wait', 50);
    const producer = new ProducerTimeoutError('ready', 50);
    expect(bridge).not.toBeInstanceOf(ProducerTimeoutError);
    expect(bridge).not.toBeInstanceOf(ProducerError);
    expect(producer).not.toBeInstanceOf(TimeoutError);
    expect(producer).not.toBeInstanceOf(SyncBridgeError);
    expect(producer).toBeInstanceOf(TskplError);
    expect(bridge).toBeInstanceOf(ProducerTskplError);
  });

  it('instanceof holds across a second copy of the package', async () => {
    vi.resetModules();
    const other = await import('./errors.js');
    expect(other.TimeoutError).not.toBe(TimeoutError);
    expect(new other.TimeoutError('close', 10)).toBeInstanceOf(TimeoutError);
    expect(new other.WorkerExitedError('gone')).toBeInstanceOf(SyncBridgeError);
    expect(new other.WorkerExitedError('gone')).not.toBeInstanceOf(TimeoutError);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { CloudWatchSinkError, CloudWatchSinkOptionError, CloudWatchSinkSendError } from './errors.js';
import { isTskplError, TskplError } from './tskpl-error.js';

describe('CloudWatch sink errors', () => {
  it('carry code, name, retriable and the shared brand', () => {
    const option = new CloudWatchSinkOptionError('namespace', '', 'a non-empty string');
    expect([option.name, option.code, option.retriable, option.option]).toEqual(['CloudWatchSinkOptionError', 'ERR_INVALID_CONFIG', false, 'namespace']);
    const send = new CloudWatchSinkSendError('throttled', 2, 40);
    expect([send.name, send.code, send.retriable, send.failedRequests, send.failedDatums]).toEqual(['CloudWatchSinkSendError', 'ERR_SINK_SEND', true, 2, 40]);
    for (const error of [option, send]) {
      expect(error).toBeInstanceOf(CloudWatchSinkError);
      expect(error).toBeInstanceOf(TskplError);
      expect(isTskplError(error)).toBe(true);
    }
    expect(option).not.toBeInstanceOf(CloudWatchSinkSendError);
    expect((send as unknown as Record<symbol, unknown>)[Symbol.for('tskpl.error')]).toBe('@tskpl/sink-cloudwatch:CloudWatchSinkSendError @tskpl/sink-cloudwatch:CloudWatchSinkError @tskpl:TskplError');
  });

  it('instanceof holds across a second copy of the package', async () => {
    vi.resetModules();
    const other = await import('./errors.js');
    expect(other.CloudWatchSinkSendError).not.toBe(CloudWatchSinkSendError);
    const foreign = new other.CloudWatchSinkSendError('dropped', 1, 20);
    expect(foreign).toBeInstanceOf(CloudWatchSinkSendError);
    expect(foreign).toBeInstanceOf(CloudWatchSinkError);
    expect(foreign).not.toBeInstanceOf(CloudWatchSinkOptionError);
  });
});

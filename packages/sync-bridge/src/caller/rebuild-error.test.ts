import { describe, expect, it } from 'vitest';
import { ArgumentError, ConfigError, ProducerClosedError, ValidationError } from '@tskpl/producer';
import { SyncBridgeError, WorkerError } from '../errors.js';
import { serializeError } from '../shared/serialize-error.js';
import { rebuildError } from './rebuild-error.js';

const roundTrip = (error: unknown): Error => rebuildError(structuredClone(serializeError(error)));

describe('errors crossing from the worker', () => {
  it('come back as the same typed classes with code, field, option and message', () => {
    const validation = roundTrip(new ValidationError('ERR_INVALID_EXPLICIT_HASH_KEY', 'explicitHashKey', 'bad key'));
    expect(validation).toBeInstanceOf(ValidationError);
    expect(validation).toMatchObject({ code: 'ERR_INVALID_EXPLICIT_HASH_KEY', field: 'explicitHashKey', message: 'bad key' });

    const original = new ConfigError('recordTtlMs', -1, 'an integer in 100 … 2147483647');
    const config = roundTrip(original);
    expect(config).toBeInstanceOf(ConfigError);
    expect(config).toMatchObject({ code: 'ERR_INVALID_CONFIG', option: 'recordTtlMs', allowed: 'an integer in 100 … 2147483647', message: original.message });

    const argument = roundTrip(new ArgumentError('windowSeconds', 'Invalid windowSeconds'));
    expect(argument).toBeInstanceOf(ArgumentError);
    expect(argument).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', argument: 'windowSeconds', message: 'Invalid windowSeconds' });

    expect(roundTrip(new ProducerClosedError())).toBeInstanceOf(ProducerClosedError);

    const bridge = roundTrip(new SyncBridgeError('ERR_BRIDGE_PROTOCOL', 'body missing'));
    expect(bridge).toBeInstanceOf(SyncBridgeError);
    expect(bridge).not.toBeInstanceOf(WorkerError);
    expect(bridge).toMatchObject({ name: 'SyncBridgeError', code: 'ERR_BRIDGE_PROTOCOL', message: 'body missing' });
  });

  it('keep the name, code, message and stack of anything else in a WorkerError', () => {
    const foreign = Object.assign(new TypeError('sink broke'), { code: 'E_SINK' });
    const rebuilt = roundTrip(foreign);
    expect(rebuilt).toBeInstanceOf(WorkerError);
    expect(rebuilt).toMatchObject({ code: 'ERR_WORKER_ERROR', remoteName: 'TypeError', remoteCode: 'E_SINK', message: 'sink broke' });
    expect((rebuilt as WorkerError).remoteStack).toContain('sink broke');
    expect(roundTrip('a string')).toMatchObject({ message: expect.stringContaining('a string') });
  });
});

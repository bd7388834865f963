/**
 * Rebuilds errors that crossed from the worker as the same typed classes: `ValidationError`,
 * `ArgumentError`, `ConfigError`, `ProducerClosedError`, `ProducerError`, and the bridge's own
 * `SyncBridgeError` (raised by the worker's pump). Anything else becomes a
 * {@link WorkerError} that keeps the original name, code and stack.
 */
import { ArgumentError, ConfigError, ProducerClosedError, ProducerError, ValidationError, type ProducerErrorCode, type ValidationErrorCode } from '@tskpl/producer';
import { SyncBridgeError, WorkerError, type SyncBridgeErrorCode } from '../errors.js';
import type { SerializedError } from '../shared/serialize-error.js';

/** Rebuilds a serialized error on the caller's side as the same class it had in the worker. */
export function rebuildError(serialized: SerializedError): Error {
  const cause = serialized.cause === undefined ? undefined : rebuildError(serialized.cause);
  let error: Error;
  switch (serialized.name) {
    case 'ValidationError':
      error = new ValidationError((serialized.code ?? 'ERR_INVALID_DATA') as ValidationErrorCode, serialized.field ?? 'input', serialized.message, { cause });
      break;
    case 'ConfigError':
      error = new ConfigError(serialized.option ?? 'options', undefined, serialized.allowed ?? 'a valid value');
      setMessage(error, serialized.message);
      break;
    case 'ProducerClosedError':
      error = new ProducerClosedError(serialized.message);
      break;
    case 'ArgumentError':
      error = new ArgumentError(serialized.argument ?? 'argument', serialized.message);
      break;
    case 'ProducerError':
      error = new ProducerError((serialized.code ?? 'ERR_PRODUCER') as ProducerErrorCode, serialized.message, { retriable: serialized.retriable ?? false, cause });
      break;
    case 'SyncBridgeError':
      error = new SyncBridgeError((serialized.code ?? 'ERR_WORKER_ERROR') as SyncBridgeErrorCode, serialized.message, { retriable: serialized.retriable ?? false, cause });
      break;
    default:
      error = new WorkerError(serialized.name, serialized.message, { remoteCode: serialized.code, remoteStack: serialized.stack, cause });
  }
  return error;
}

function setMessage(error: Error, message: string): void {
  Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true, enumerable: false });
}

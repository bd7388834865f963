import type { FakeKinesisConfig } from '../config/options.js';
import type { FaultController } from '../faults/fault-controller.js';
import type { StreamRegistry } from '../model/registry.js';
import type { Stream } from '../model/stream.js';
import type { JsonObject } from '../protocol/input.js';

/** What an operation handler sees of the server and of the request being served. */
export interface OperationContext {
  readonly config: FakeKinesisConfig;
  readonly registry: StreamRegistry;
  readonly faults: FaultController;
  /** Id of this request (echoed in `x-amzn-RequestId`). */
  readonly requestId: string;
  /** True when the response will be lost (writes are marked `responseLost`). */
  readonly responseLost: boolean;
  /** Whether the shard limits apply to `stream` right now. */
  limitsEnforced(stream: Stream): boolean;
}

/** One Kinesis operation: decoded input in, JSON-serialisable output out; throws KinesisServiceError. */
export type OperationHandler = (input: JsonObject, context: OperationContext) => unknown;

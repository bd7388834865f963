// Where the examples send records. Every example reads the same environment variables, so one
// command line points any of them at AWS, at kinesis-local or at the testkit's fake Kinesis:
//
//   STREAM_NAME       the stream (default "orders")
//   AWS_REGION        the region (default "us-east-1")
//   KINESIS_ENDPOINT  a Kinesis endpoint URL, e.g. the one `node dist/fake-kinesis.js` prints;
//                     unset means the real Kinesis of AWS_REGION
//
// Credentials come from the AWS SDK's default chain (environment, profile, instance role).
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ProducerOptions } from '@tskpl/producer';

/** The stream and connection settings shared by every example. */
export interface Connection {
  readonly streamName: string;
  readonly producerOptions: Pick<ProducerOptions, 'region' | 'endpoint'>;
}

/** Reads {@link Connection} from `env` (process.env by default). */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): Connection {
  const endpoint = env.KINESIS_ENDPOINT;
  return {
    streamName: env.STREAM_NAME ?? 'orders',
    producerOptions: { region: env.AWS_REGION ?? 'us-east-1', ...(endpoint ? { endpoint } : {}) },
  };
}

/** Whether the module at `moduleUrl` is the script node was started with (rather than imported). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(realpathSync(script)).href;
}

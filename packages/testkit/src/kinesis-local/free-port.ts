import { createServer } from 'node:net';
import { KinesisLocalError } from '../errors.js';

/**
 * Asks the OS for `count` distinct free TCP ports on `host` by listening on port 0 and closing
 * again. A port found this way can be taken by someone else before the emulator binds it; the
 * caller retries on EADDRINUSE.
 * @param count - how many distinct ports
 * @param host - the interface the ports must be free on
 */
export async function findFreePorts(count: number, host: string): Promise<number[]> {
  const servers = [];
  try {
    // Keep all probes open until every port is known, so the OS cannot hand out one port twice.
    for (let index = 0; index < count; index += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: 0, host, exclusive: true }, () => resolve());
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new KinesisLocalError('ERR_KINESIS_LOCAL_START', `Probe server on ${host} has no TCP address.`);
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))));
  }
}

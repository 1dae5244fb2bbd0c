import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port on `host`. The port is released before it is returned, so a
 * caller that then hands it to another process must cope with losing a (rare) race.
 *
 * @param host - Interface to probe; `127.0.0.1` by default.
 * @example
 * const port = await freePort();
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}

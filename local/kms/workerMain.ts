/** Worker side of worker.ts: runs one emulator and answers `stop`. */
import { parentPort, workerData } from 'node:worker_threads';
import type { KmsEmulatorOptions } from './index';
import { startServer } from './server';
import type { KmsWorkerReply, KmsWorkerRequest } from './worker';

const port = parentPort;
if (!port) throw new Error('local/kms/workerMain runs in a worker thread');
const send = (message: KmsWorkerReply): void => port.postMessage(message);
const { clockOffsetMs, ...options } = workerData as KmsEmulatorOptions & { clockOffsetMs: number };
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  const server = await startServer({ dataDir: options.dataDir, port: options.port ?? 0, host: options.host ?? '127.0.0.1', clockOffsetMs });
  port.on('message', (request: KmsWorkerRequest) => {
    if (request.type !== 'stop') return;
    server.stop().then(
      () => {
        send({ stopped: true });
        port.close();
      },
      (error: unknown) => send({ stopError: describe(error) }),
    );
  });
  send({ started: server.endpoint });
} catch (error) {
  send({ startError: describe(error) });
}

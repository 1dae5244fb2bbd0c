/** Worker side of streamPollerWorker.ts: runs one stream poller and answers `flush` and `stop`. */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from './internal/threadPriority';
import { importHandler } from './lambdaHost';
import { startStreamPoller, type StreamHandler } from './streamPoller';
import type { WorkerPollerOptions, WorkerReply, WorkerRequest } from './streamPollerWorker';

const port = parentPort;
if (!port) throw new Error('streamPollerWorkerMain runs in a worker thread');
const send = (message: WorkerReply): void => port.postMessage(message);
const options = workerData as Omit<WorkerPollerOptions, 'log'>;
// The consumer takes the CPU requests leave, as it would as a function of its own in AWS.
lowerThisThreadPriority();

try {
  const poller = await startStreamPoller({
    ...options,
    loadHandler: () => importHandler<StreamHandler>(options.functionName),
    log: (line) => send({ log: line }),
  });
  port.on('message', (request: WorkerRequest) => {
    const done = request.type === 'flush' ? poller.flush(request.timeoutMs) : poller.stop();
    done.then(
      () => {
        send({ id: request.id });
        if (request.type === 'stop') port.close();
      },
      (error: unknown) => send({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  send({ started: true });
} catch (error) {
  send({ startError: error instanceof Error ? error.message : String(error) });
}

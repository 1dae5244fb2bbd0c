/**
 * The stream poller in a worker thread: in AWS the audit consumer is a function of its own, so the work
 * of reading the outbox stream, writing the audit table and sealing the archive never runs on the
 * request path. In one process it did: each OTP's event made the consumer compete with the next request
 * for the event loop (bench/otpEndpoint.ts shows the phases). The worker runs `startStreamPoller` with
 * the same options; `flush` and `stop` are messages.
 */
import { Worker } from 'node:worker_threads';
import type { StreamPoller, StreamPollerOptions } from './streamPoller';

/**
 * What the worker needs: the poller's options, less what cannot cross a thread (functions). The worker
 * loads `lambdas/<functionName>/handler.ts` as the local Lambda host does (`importHandler`).
 */
export type WorkerPollerOptions = Omit<StreamPollerOptions, 'loadHandler' | 'log'> & {
  log?: (line: string) => void;
};

export interface WorkerRequest {
  id: number;
  type: 'flush' | 'stop';
  timeoutMs?: number;
}
export type WorkerReply = { id: number; error?: string } | { log: string } | { started: true } | { startError: string };

/**
 * Starts the poller in a worker thread (TypeScript through tsx's loader API), with the
 * process environment as it is now (the handlers' configuration).
 *
 * @example
 * const poller = await startStreamPollerInWorker({ endpoint, tableName, dataDir, functionName: 'auditStreamConsumer' });
 * await poller.flush();
 */
export async function startStreamPollerInWorker(options: WorkerPollerOptions): Promise<StreamPoller> {
  const { log, ...data } = options;
  // The environment as this module sees it (a test runner may give modules their own `process.env`).
  const worker = new Worker(new URL('./streamPollerWorkerBoot.mjs', import.meta.url), { workerData: data, env: { ...process.env } });
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let exited = false;
  const started = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: WorkerReply) => {
      if ('log' in message) log?.(message.log);
      else if ('started' in message) resolve();
      else if ('startError' in message) reject(new Error(message.startError));
      else {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.error === undefined) call?.resolve();
        else call?.reject(new Error(message.error));
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      exited = true;
      const error = new Error(`the stream poller worker exited (code ${code})`);
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    });
  });
  const call = (request: Omit<WorkerRequest, 'id'>): Promise<void> => {
    if (exited) return Promise.reject(new Error('the stream poller worker has exited'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  };
  try {
    await started;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    flush: (timeoutMs) => call({ type: 'flush', timeoutMs }),
    stop: () => {
      stopping ??= (exited ? Promise.resolve() : call({ type: 'stop' })).finally(() => worker.terminate()).then(() => undefined);
      return stopping;
    },
  };
}

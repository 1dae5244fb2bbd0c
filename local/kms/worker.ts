/**
 * The KMS emulator in a worker thread. In AWS, KMS is another service: a Decrypt on the request path
 * and the audit consumer's Sign calls never compete with the vault's own code for a CPU. In one
 * process they did, when the emulator answered on the request thread: every Sign of a digest and
 * every trail append ran between two requests' steps. In a worker, the emulator keeps its event loop
 * to itself; the request thread only talks HTTP to it, as the handlers do to KMS.
 */
import { Worker } from 'node:worker_threads';
import type { KmsEmulator, KmsEmulatorOptions } from './index';

/** Parent to worker. */
export interface KmsWorkerRequest {
  type: 'stop';
}
/** Worker to parent. */
export type KmsWorkerReply = { started: string } | { startError: string } | { stopped: true } | { stopError: string };

/**
 * Starts the emulator (`startKmsEmulator`, same options and behaviour) in a worker thread.
 *
 * @throws Error with the emulator's start failure (a taken port, an unreadable key store).
 * @example
 * const kms = await startKmsEmulatorInWorker({ dataDir: '.otpvault' });
 * await kms.stop();
 */
export async function startKmsEmulatorInWorker(options: KmsEmulatorOptions): Promise<KmsEmulator> {
  // This thread's `Date` against the machine's (performance is never faked): the worker dates what it records the same way.
  const clockOffsetMs = Math.round(Date.now() - (performance.timeOrigin + performance.now()));
  const worker = new Worker(new URL('./workerBoot.mjs', import.meta.url), { workerData: { ...options, clockOffsetMs } });
  let exited = false;
  let onStopped: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const exit = new Promise<number>((resolve) => worker.once('exit', resolve));
  const started = new Promise<string>((resolve, reject) => {
    worker.on('message', (message: KmsWorkerReply) => {
      if ('started' in message) resolve(message.started);
      else if ('startError' in message) reject(new Error(message.startError));
      else if ('stopped' in message) onStopped?.resolve();
      else onStopped?.reject(new Error(message.stopError));
    });
    worker.on('error', (error) => {
      reject(error);
      onStopped?.reject(error);
      // Requests now fail to connect; say why once.
      console.error(`kms emulator: its worker failed: ${error.stack ?? error.message}`);
    });
    void exit.then((code) => {
      exited = true;
      const error = new Error(`the KMS emulator's worker exited (code ${code})`);
      reject(error);
      onStopped?.reject(error);
    });
  });
  let endpoint: string;
  try {
    endpoint = await started;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    stop: () => {
      stopping ??= (async () => {
        if (exited) return;
        // The worker waits for requests in flight and for the key store and trail to reach the disk, then exits.
        const stopped = new Promise<void>((resolve, reject) => (onStopped = { resolve, reject }));
        worker.postMessage({ type: 'stop' } satisfies KmsWorkerRequest);
        try {
          await stopped;
        } finally {
          await worker.terminate();
        }
      })();
      return stopping;
    },
  };
}

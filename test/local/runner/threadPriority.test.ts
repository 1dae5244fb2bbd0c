import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

// The stream consumers' worker threads lower their own priority (local/internal/threadPriority.ts),
// so on a small machine they take the CPU requests leave. Only that thread: the process (its main
// thread, whose task id is the process id) keeps its priority.
const MODULE = fileURLToPath(new URL('../../../local/internal/threadPriority.ts', import.meta.url));

/** Runs lowerThisThreadPriority in a worker thread; answers its task id and that task's priority as read from outside. */
function inWorker(): Promise<{ taskId: number | undefined; priority: number | undefined }> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    (async () => {
      const { register } = await import('tsx/esm/api');
      register();
      const { lowerThisThreadPriority } = await import(${JSON.stringify(new URL(`file://${MODULE}`).href)});
      parentPort.postMessage({ taskId: lowerThisThreadPriority() });
      // Stay alive until asked, so the task can be read from outside.
      parentPort.once('message', () => parentPort.close());
    })();
  `;
  const worker = new Worker(code, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (answer: { taskId: number | undefined }) => {
      const priority = answer.taskId === undefined ? undefined : getPriority(answer.taskId);
      worker.postMessage('done');
      worker.once('exit', () => resolve({ ...answer, priority }));
    });
  });
}

describe('lowerThisThreadPriority', () => {
  it('lowers the worker thread alone to the lowest priority', async () => {
    // Prepare
    const before = getPriority(process.pid);
    // Act
    const answer = await inWorker();
    // Assess
    expect(answer.taskId).toEqual(expect.any(Number));
    expect(answer.taskId).not.toBe(process.pid);
    expect(answer.priority).toBe(19);
    expect(getPriority(process.pid)).toBe(before);
  });
});

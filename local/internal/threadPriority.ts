import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority to the lowest (nice 19), on Linux, where each
 * thread is a task of its own and `setpriority` on its task id reaches that thread alone. For the
 * stream consumers' worker threads: in AWS they are functions of their own and never take CPU from
 * a request; here they share the machine's cores, and at a low priority they take what requests
 * leave instead of delaying them. Elsewhere (no `/proc/thread-self`), or if refused, nothing changes.
 *
 * @returns the thread's task id when its priority was lowered, else undefined
 */
export function lowerThisThreadPriority(): number | undefined {
  try {
    const taskId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(taskId) || taskId <= 0) return undefined;
    setPriority(taskId, constants.priority.PRIORITY_LOW);
    return taskId;
  } catch {
    return undefined;
  }
}

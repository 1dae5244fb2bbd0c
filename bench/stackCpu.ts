/**
 * CPU time the whole local stack spends: this process (every thread: requests, stream consumers,
 * KMS emulator) and its child processes (DynamoDB Local's JVM, s3rver), from /proc. It shows where the
 * work is (which latency alone cannot tell on a shared machine), though other load still moves it
 * (caches, scheduling: ±30% between runs on the 2-core development machine). Linux only; elsewhere
 * the figures are absent.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function childrenOf(pid: number | 'self'): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** utime + stime of a process (all its threads), in milliseconds; 0 once it is gone. */
function processCpuMs(pid: number): number {
  try {
    // Fields after the command (which may hold spaces) start after the last ')'; utime and stime are the 12th and 13th of them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function descendants(): number[] {
  const found: number[] = [];
  const queue = childrenOf('self');
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    found.push(pid);
    queue.push(...childrenOf(pid));
  }
  return found;
}

export interface CpuSnapshot {
  /** This process, all threads. */
  processMs: number;
  /** Per child process (pid → ms). */
  childrenMs: Map<number, number>;
}

/** CPU used so far; `undefined` where /proc is not there. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  if (process.platform !== 'linux') return undefined;
  const usage = process.cpuUsage();
  return { processMs: (usage.user + usage.system) / 1000, childrenMs: new Map(descendants().map((pid) => [pid, processCpuMs(pid)])) };
}

/** CPU milliseconds per request between two snapshots: this process, its children, and both. */
export function cpuPerRequest(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined, requests: number): { processMs: number; childrenMs: number; totalMs: number } | undefined {
  if (!before || !after || requests === 0) return undefined;
  const processMs = after.processMs - before.processMs;
  let childrenMs = 0;
  for (const [pid, ms] of after.childrenMs) childrenMs += ms - (before.childrenMs.get(pid) ?? 0);
  const per = (ms: number) => Math.round((ms / requests) * 100) / 100;
  return { processMs: per(processMs), childrenMs: per(childrenMs), totalMs: per(processMs + childrenMs) };
}

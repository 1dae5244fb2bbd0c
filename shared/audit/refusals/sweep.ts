import type { Clock } from '../../clock';
import { describeError, type Logger } from '../../log/logger';
import type { AuditOutbox } from '../AuditOutbox';
import type { RefusalWindows } from './RefusalWindows';

/** What one sweep did. */
export interface SweepReport {
  /** Closed windows with repeats that were found. */
  found: number;
  /** Summary events written (each with its window deleted). */
  summarized: number;
  /** Windows another sweep took first, or that counted a late refusal (left for the next sweep). */
  changed: number;
  /** Windows that could not be summarized now (logged; retried by the next sweep). */
  failed: number;
}

export interface RefusalSweepDeps {
  windows: RefusalWindows;
  outbox: AuditOutbox;
  clock: Clock;
  log: Logger;
}

/**
 * Turns every closed refusal window with repeats into one summary audit event (see `window.ts`).
 * Safe to run twice at once and to miss a run: a window is summarized by exactly one transaction,
 * and one not summarized stays until the next sweep (or until it expires).
 *
 * @example
 * const report = await sweepRefusalWindows({ windows, outbox, clock: systemClock, log });
 */
export async function sweepRefusalWindows(deps: RefusalSweepDeps): Promise<SweepReport> {
  const now = deps.clock.now();
  const closed = await deps.windows.closedWithRepeats(now);
  const report: SweepReport = { found: closed.length, summarized: 0, changed: 0, failed: 0 };
  for (const window of closed) {
    try {
      report[await deps.windows.summarize(window, deps.outbox, now)]++;
    } catch (error) {
      report.failed++;
      deps.log.error('refusal window could not be summarized; the next sweep tries again', { minute: window.minute, count: window.count, ...describeError(error) });
    }
  }
  if (report.found > 0) deps.log.info('refusal windows swept', { ...report });
  return report;
}

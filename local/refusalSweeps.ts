/**
 * The local twin of the refusal sweeper's EventBridge schedule: invokes the very
 * `lambdas/refusalSweeper/handler.ts` CDK deploys every `REFUSAL_WINDOW.sweepEverySeconds` (overlapping
 * runs would be harmless, see `sweepRefusalWindows`).
 */
import { REFUSAL_SWEEPER_FUNCTION } from '../shared/api/functions';
import { REFUSAL_WINDOW } from '../shared/audit/refusals/window';
import { startSchedule, type Schedule } from './schedule';

export interface RefusalSweepsOptions {
  /** Where failures are reported. @default nothing */
  log?: (line: string) => void;
  /** @default REFUSAL_WINDOW.sweepEverySeconds * 1000 */
  intervalMs?: number;
}

/** Starts sweeping on a timer (the first sweep after one interval). */
export function startRefusalSweeps(options: RefusalSweepsOptions = {}): Schedule {
  return startSchedule({
    fn: REFUSAL_SWEEPER_FUNCTION,
    event: {},
    everyMs: options.intervalMs ?? REFUSAL_WINDOW.sweepEverySeconds * 1000,
    what: 'refusal sweep',
    log: options.log,
  });
}

/**
 * The local twin of the refusal sweeper's EventBridge schedule: a timer that invokes the very
 * `lambdas/refusalSweeper/handler.ts` CDK deploys, every `REFUSAL_WINDOW.sweepEverySeconds`. A sweep
 * still running when the next is due is not doubled (in AWS overlapping runs are harmless, see
 * `sweepRefusalWindows`; here there is simply no need).
 */
import { REFUSAL_SWEEPER_FUNCTION } from '../shared/api/functions';
import { REFUSAL_WINDOW } from '../shared/audit/refusals/window';
import { createLambdaHost, importHandler } from './lambdaHost';

type SweeperHandler = (event: Record<string, never>) => Promise<unknown>;

export interface RefusalSweeps {
  /** Stops the timer and waits for a sweep in flight. Safe to call twice. */
  stop(): Promise<void>;
}

export interface RefusalSweepsOptions {
  /** Where failures are reported. @default nothing */
  log?: (line: string) => void;
  /** @default REFUSAL_WINDOW.sweepEverySeconds * 1000 */
  intervalMs?: number;
}

/** Starts sweeping on a timer (the first sweep after one interval). */
export function startRefusalSweeps(options: RefusalSweepsOptions = {}): RefusalSweeps {
  const host = createLambdaHost<SweeperHandler>({ load: () => importHandler<SweeperHandler>(REFUSAL_SWEEPER_FUNCTION.name) });
  let running: Promise<void> | undefined;
  const sweep = () => {
    running ??= host
      .invoke(REFUSAL_SWEEPER_FUNCTION, {})
      .then(() => undefined)
      .catch((error: unknown) => options.log?.(`refusal sweep failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(sweep, options.intervalMs ?? REFUSAL_WINDOW.sweepEverySeconds * 1000);
  // Never what keeps the process alive.
  timer.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop: () => {
      stopped ??= (async () => {
        clearInterval(timer);
        await running;
      })();
      return stopped;
    },
  };
}

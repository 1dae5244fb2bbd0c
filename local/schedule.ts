/**
 * The local twin of an EventBridge schedule: a timer that invokes the very handler CDK deploys
 * with the schedule's constant event. A run still going when the next is due is not doubled (in
 * AWS overlapping runs are harmless for the functions scheduled here; locally there is no need).
 */
import { createLambdaHost, importHandler, type HostedFunction } from './lambdaHost';

type ScheduledHandler = (event: object) => Promise<unknown>;

export interface Schedule {
  /** Runs once more now (after a run in flight) and resolves when it is done; rejects if it fails. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a run in flight. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ScheduleOptions {
  /** The function's folder under `lambdas/` and its sizing. */
  fn: HostedFunction;
  /** The constant input the rule sends. */
  event: object;
  everyMs: number;
  /** What a failure is reported as: `<what> failed: <message>`. */
  what: string;
  /** Where failures of timer runs are reported. @default nothing */
  log?: (line: string) => void;
}

/** Starts the timer (the first run after one period). */
export function startSchedule(options: ScheduleOptions): Schedule {
  const host = createLambdaHost<ScheduledHandler>({ load: () => importHandler<ScheduledHandler>(options.fn.name) });
  let running: Promise<void> | undefined;
  const run = (): Promise<void> => {
    running ??= host
      .invoke(options.fn, options.event)
      .then(() => undefined)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => {
    run().catch((error: unknown) => options.log?.(`${options.what} failed: ${error instanceof Error ? error.message : String(error)}`));
  }, options.everyMs);
  // Never what keeps the process alive.
  timer.unref();
  let stopped: Promise<void> | undefined;
  return {
    runNow: async () => {
      await running?.catch(() => undefined);
      await run();
    },
    stop: () => {
      stopped ??= (async () => {
        clearInterval(timer);
        await running?.catch(() => undefined);
      })();
      return stopped;
    },
  };
}

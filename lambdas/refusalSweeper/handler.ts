import { refusalSweeperFromConfig } from '../../shared/audit/refusals/fromConfig';
import type { SweepReport } from '../../shared/audit/refusals/sweep';

/**
 * The refusal sweeper (not an HTTP route): run every minute (EventBridge schedule; a timer in the
 * local runner), it writes one summary audit event per closed refusal window with repeats.
 */
let sweep: (() => Promise<SweepReport>) | undefined;

export const handler = async (): Promise<SweepReport> => {
  sweep ??= refusalSweeperFromConfig();
  const report = await sweep();
  // Every window was tried; a failure still fails the run, so Lambda's Errors metric (and its alarm) shows it.
  if (report.failed > 0) throw new Error(`${report.failed} refusal windows could not be summarized; the next sweep tries again`);
  return report;
};

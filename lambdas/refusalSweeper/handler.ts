import { refusalSweeperFromConfig } from '../../shared/audit/refusals/fromConfig';
import type { SweepReport } from '../../shared/audit/refusals/sweep';

/**
 * The refusal sweeper (not an HTTP route): run every minute (EventBridge schedule; a timer in the
 * local runner), it writes one summary audit event per closed refusal window with repeats.
 */
let sweep: (() => Promise<SweepReport>) | undefined;

export const handler = async (): Promise<SweepReport> => {
  sweep ??= refusalSweeperFromConfig();
  return sweep();
};

import * as z from 'zod';
import { IsoTimeSchema } from '../query';
import { RECONCILE_LIMITS } from './limits';

/** Query string of `GET /v1/audit/reconcile`. */
export const ReconcileParams = z
  .object({
    from: IsoTimeSchema.describe('Start of the window, inclusive (ISO 8601)'),
    to: IsoTimeSchema.describe(
      `End of the window, exclusive (ISO 8601), at most ${RECONCILE_LIMITS.maxRangeHours} h after from; in AWS at least ${RECONCILE_LIMITS.trailDelayMinutes} min ago (CloudTrail delivers late)`,
    ),
  })
  .strict();
export type ReconcileParams = z.output<typeof ReconcileParams>;

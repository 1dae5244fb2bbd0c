import { batchOtp } from '../../shared/access/batchOtp';
import { operation } from '../../shared/api/operation';

/** Codes of every secret under a prefix the caller may otp:generate; each one audited on its own. */
export const handler = operation('generateOtps', async ({ input, deps, scope }) => {
  scope.authorizeSomewhere('otp:generate');
  return batchOtp(deps, scope, input.body);
});

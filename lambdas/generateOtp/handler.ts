import { operation } from '../../shared/api/operation';
import { generateOtp } from '../../shared/api/routes/generateOtp';
import { grantNote } from '../../shared/approvals/model';
import { otpCodes } from '../../shared/api/services/otpCodes';

export const handler = operation(generateOtp, async ({ input, deps, caller, audit, secret, readAhead }) => {
  // After a minValidSeconds wait (up to a period), the row's decision is made again with the policies then in force.
  const decideAgain = async () => caller.withRules(await deps.accessRules.current()).decide(generateOtp.authorize, input);
  return { ...(await otpCodes(deps).otp(secret, input.body, audit, { decideAgain, seedAhead: readAhead.seed, lastCodeAhead: readAhead.lastCode })), ...grantNote(caller.grant) };
});

import { operation } from '../../shared/api/operation';
import { generateOtp } from '../../shared/api/routes/generateOtp';
import { grantNote } from '../../shared/approvals/model';

export const handler = operation(generateOtp, async ({ input, deps, caller, audit, secret }) => ({
  ...(await deps.otpCodes.otp(secret, input.body, audit)),
  ...grantNote(caller.grant),
}));

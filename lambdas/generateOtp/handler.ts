import { operation } from '../../shared/api/operation';
import { generateOtp } from '../../shared/api/routes/generateOtp';

export const handler = operation(generateOtp, async ({ input, deps, audit, secret }) => deps.otpCodes.otp(secret, input.body, audit));

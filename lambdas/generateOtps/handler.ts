import { batchOtp } from '../../shared/access/batchOtp';
import { operation } from '../../shared/api/operation';
import { generateOtps } from '../../shared/api/routes/generateOtps';
import { otpCodes } from '../../shared/api/services/otpCodes';

/** The action the row allowed somewhere; each secret under the prefix must allow it too. */
const [generateAction] = generateOtps.authorize.anyOf;

/** Codes of every secret under a prefix the caller may otp:generate; each one audited on its own. */
export const handler = operation(generateOtps, async ({ input, deps, caller, audit }) => batchOtp({ ...deps, otpCodes: otpCodes(deps) }, caller, audit, input.body, generateAction));

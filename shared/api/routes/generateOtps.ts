// The schema alone: the batch code itself would pull more into every bundle that reads the route list.
import { BATCH_OTP_LIMITS, GenerateOtpsBody } from '../../access/batchOtpSchema';
import { route } from '../route';
import { input, none, SMALL_BODY } from './inputs';

export const generateOtps = route({
  op: 'generateOtps',
  method: 'POST',
  path: '/v1/otp',
  summary: `Current codes of every secret under a path prefix the caller may otp:generate (at most ${BATCH_OTP_LIMITS.maxSecrets}), in one request; each code is audited before it is returned`,
  input: input(none, none, GenerateOtpsBody),
  // Allowed to generate somewhere; each secret under the prefix is then decided on its own path.
  authorize: { on: 'anywhere', anyOf: ['otp:generate'] },
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['secret'], kms: ['Decrypt'] },
  // minValidSeconds may wait for the next step.
  timeoutSeconds: 29,
});

import { z } from 'zod';
import { GenerateOtpBody } from '../../secrets/schema';
import { route } from '../route';
import { input, secretParams, SMALL_BODY } from './inputs';

export const generateOtp = route({
  op: 'generateOtp',
  method: 'POST',
  path: '/v1/secrets/{secretId}/otp',
  summary: 'Generate the current one-time code (audited before it is returned)',
  input: input(secretParams, z.object({}), GenerateOtpBody),
  authorize: { on: 'secret', action: 'otp:generate' },
  body: 'optional',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', kms: ['Decrypt'] },
  // minValidSeconds may wait for the next step.
  timeoutSeconds: 29,
});

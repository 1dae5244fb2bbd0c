import { GenerateOtpBody } from '../../secrets/schema';
import { route } from '../route';
import { input, none, secretParams, SMALL_BODY } from './inputs';

export const generateOtp = route({
  op: 'generateOtp',
  method: 'POST',
  path: '/v1/secrets/{secretId}/otp',
  summary: 'Generate the current one-time code (audited before it is returned)',
  input: input(secretParams, none, GenerateOtpBody),
  authorize: { on: 'secret', action: 'otp:generate' },
  body: 'optional',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['secret'], kms: ['Decrypt'] },
  // The seed's ciphertext and the step's first handout ride in the decision's batch: the audit write
  // (beside the step's claim, when nobody had the code yet) and the Decrypt are all that follow.
  readsWithDecision: ['seed', 'lastCode'],
  // minValidSeconds may wait for the next step.
  timeoutSeconds: 29,
});

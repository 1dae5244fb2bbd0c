import { z } from 'zod';
import { route } from '../route';
import { emptyBody, input, secretParams, SMALL_BODY } from './inputs';

export const revealRecoveryCode = route({
  op: 'revealRecoveryCode',
  method: 'POST',
  path: '/v1/secrets/{secretId}/recovery-codes/reveal',
  summary: 'Hand out one unused recovery code and mark it used',
  input: input(secretParams, z.object({}), emptyBody),
  authorize: { on: 'secret', action: 'recovery:reveal' },
  body: 'optional',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', kms: ['Decrypt'] },
});

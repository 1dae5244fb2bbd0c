import { z } from 'zod';
import { RecoveryCodesBody } from '../../secrets/schema';
import { route } from '../route';
import { input, secretParams, SMALL_BODY } from './inputs';

export const replaceRecoveryCodes = route({
  op: 'replaceRecoveryCodes',
  method: 'PUT',
  path: '/v1/secrets/{secretId}/recovery-codes',
  summary: 'Replace the set of recovery codes',
  input: input(secretParams, z.object({}), RecoveryCodesBody),
  authorize: { on: 'secret', action: 'secret:write' },
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', kms: ['Encrypt'] },
});

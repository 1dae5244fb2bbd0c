import { z } from 'zod';
import { CreateSecretBody } from '../../secrets/schema';
import { route } from '../route';
import { input, none, SEED_BODY } from './inputs';

export const createSecret = route({
  op: 'createSecret',
  method: 'POST',
  path: '/v1/secrets',
  summary: 'Create a secret from a template; sensitive fields are encrypted with KMS',
  input: input(none, z.object({}), CreateSecretBody),
  authorize: { on: 'path', action: 'secret:write', path: (input) => input.body.path },
  successStatus: 201,
  body: 'json',
  maxBodyBytes: SEED_BODY,
  grants: { vault: 'write', kms: ['Encrypt'] },
  memoryMb: 1769,
  timeoutSeconds: 29,
  decodesPictures: true,
});

import { z } from 'zod';
import { SeedInputSchema } from '../../seed/schema';
import { route } from '../route';
import { input, secretParams, SEED_BODY } from './inputs';

export const overwriteSeed = route({
  op: 'overwriteSeed',
  method: 'PUT',
  path: '/v1/secrets/{secretId}/otp-seed',
  summary: 'Overwrite the OTP seed (QR picture, otpauth:// URI or setup key)',
  input: input(secretParams, z.object({}), SeedInputSchema),
  authorize: { on: 'secret', action: 'seed:overwrite' },
  body: 'json',
  maxBodyBytes: SEED_BODY,
  grants: { vault: 'write', kms: ['Encrypt'] },
  memoryMb: 1769,
  timeoutSeconds: 29,
  decodesPictures: true,
});

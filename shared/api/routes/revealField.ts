import * as z from 'zod';
import { SecretIdSchema } from '../../secrets/schema';
import { FIELD_NAME } from '../../templates/model';
import { route } from '../route';
import { emptyBody, input, none, SMALL_BODY } from './inputs';

export const revealField = route({
  op: 'revealField',
  method: 'POST',
  path: '/v1/secrets/{secretId}/fields/{field}/reveal',
  summary: 'Reveal one sensitive field (a password, never a seed or recovery code), audited before it is decrypted',
  input: input(
    z.object({ secretId: SecretIdSchema, field: z.string().regex(FIELD_NAME, 'not a field name').describe('Field name, e.g. password') }).strict(),
    none,
    emptyBody,
  ),
  authorize: { on: 'secret', action: 'secret:reveal' },
  body: 'optional',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'read', kms: ['Decrypt'], kmsContext: 'wholeFieldsOnly' },
});

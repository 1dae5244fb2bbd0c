import * as z from 'zod';
import { route } from '../route';
import { input, none, secretParams, SMALL_BODY } from './inputs';

export const setAlertOnUse = route({
  op: 'setAlertOnUse',
  method: 'PUT',
  path: '/v1/secrets/{secretId}/alert-on-use',
  summary: 'Mark a secret so that every code or field handed out of it publishes an alert (or unmark it)',
  input: input(secretParams, none, z.object({ alertOnUse: z.boolean().describe('true: alert on every use') }).strict()),
  authorize: { on: 'secret', action: 'secret:write' },
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['secret'] },
});

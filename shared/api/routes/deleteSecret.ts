import { route } from '../route';
import { secretOnly } from './inputs';

export const deleteSecret = route({
  op: 'deleteSecret',
  method: 'DELETE',
  path: '/v1/secrets/{secretId}',
  summary: 'Delete a secret with its seed and recovery codes',
  input: secretOnly,
  authorize: { on: 'secret', action: 'secret:write' },
  successStatus: 204,
  grants: { vault: 'write' },
});

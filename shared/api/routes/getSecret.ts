import { route } from '../route';
import { secretOnly } from './inputs';

export const getSecret = route({
  op: 'getSecret',
  method: 'GET',
  path: '/v1/secrets/{secretId}',
  summary: 'Show a secret\'s metadata and non-sensitive fields (never a seed)',
  input: secretOnly,
  authorize: { on: 'secret', action: 'secret:read' },
  grants: { vault: 'read' },
});

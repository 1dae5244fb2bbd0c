import { route } from '../route';
import { noInput } from './inputs';

export const listPolicies = route({
  op: 'listPolicies',
  method: 'GET',
  path: '/v1/policies',
  summary: 'List access policies, built-in ones first',
  input: noInput,
  authorize: { on: 'global', action: 'policy:manage' },
  grants: { vault: 'read' },
});

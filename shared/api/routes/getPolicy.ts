import { route } from '../route';
import { policyOnly } from './policyInputs';

export const getPolicy = route({
  op: 'getPolicy',
  method: 'GET',
  path: '/v1/policies/{policyId}',
  summary: 'Show one access policy',
  input: policyOnly,
  authorize: { on: 'global', action: 'policy:manage' },
  grants: { vault: 'read', users: 'lookup' },
});

import * as z from 'zod';
import { route } from '../route';
import { input } from './inputs';
import { expectedVersion, policyParams } from './policyInputs';

export const deletePolicy = route({
  op: 'deletePolicy',
  method: 'DELETE',
  path: '/v1/policies/{policyId}',
  summary: 'Delete an access policy (built-ins cannot be deleted; refused if it would leave nobody able to manage policies)',
  input: input(policyParams, expectedVersion, z.undefined()),
  authorize: { on: 'global', action: 'policy:manage' },
  successStatus: 204,
  grants: { vault: 'write', writes: ['policies'] },
});

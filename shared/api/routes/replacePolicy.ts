import { PolicyDocumentSchema } from '../../policy';
import { route } from '../route';
import { input, SMALL_BODY } from './inputs';
import { expectedVersion, policyParams } from './policyInputs';

export const replacePolicy = route({
  op: 'replacePolicy',
  method: 'PUT',
  path: '/v1/policies/{policyId}',
  summary: 'Replace an access policy (built-ins cannot be changed; refused if it would leave nobody able to manage policies)',
  input: input(policyParams, expectedVersion, PolicyDocumentSchema),
  authorize: { on: 'global', action: 'policy:manage' },
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['policies'], users: 'lookup' },
});

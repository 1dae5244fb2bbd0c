import { PolicyDocumentSchema } from '../../policy';
import { route } from '../route';
import { input, none, SMALL_BODY } from './inputs';

export const createPolicy = route({
  op: 'createPolicy',
  method: 'POST',
  path: '/v1/policies',
  summary: 'Create an access policy (refused if it would leave nobody able to manage policies)',
  input: input(none, none, PolicyDocumentSchema),
  authorize: { on: 'global', action: 'policy:manage' },
  successStatus: 201,
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['policies'], users: 'lookup' },
});

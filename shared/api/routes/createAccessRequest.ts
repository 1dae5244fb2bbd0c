import { CreateAccessRequestBody } from '../../approvals/schema';
import { route } from '../route';
import { input, none, SMALL_BODY } from './inputs';

export const createAccessRequest = route({
  op: 'createAccessRequest',
  method: 'POST',
  path: '/v1/access-requests',
  summary: 'Ask for just-in-time access to a secret whose policy needs approval (answers pending)',
  input: input(none, none, CreateAccessRequestBody),
  // Whether the caller may ask is decided against the approval policies by the service.
  authorize: { on: 'caller' },
  successStatus: 201,
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['accessRequest'] },
});

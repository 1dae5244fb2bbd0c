import { route } from '../route';
import { decisionInput } from './accessRequestInputs';
import { SMALL_BODY } from './inputs';

export const denyAccessRequest = route({
  op: 'denyAccessRequest',
  method: 'POST',
  path: '/v1/access-requests/{requestId}/deny',
  summary: 'Deny a pending request (an approver the policy names)',
  input: decisionInput,
  // Approvers are named by the request's approval policies; the service checks them.
  authorize: { on: 'caller' },
  body: 'optional',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['accessRequest'] },
});

import { route } from '../route';
import { decisionInput } from './accessRequestInputs';
import { SMALL_BODY } from './inputs';

export const approveAccessRequest = route({
  op: 'approveAccessRequest',
  method: 'POST',
  path: '/v1/access-requests/{requestId}/approve',
  summary: 'Approve a pending request (an approver the policy names, never the requester); the last approval needed starts the grant',
  input: decisionInput,
  // Approvers are named by the request's approval policies; the service checks them.
  authorize: { on: 'caller' },
  body: 'optional',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['accessRequest', 'grant'] },
});

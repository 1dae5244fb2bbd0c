import { route } from '../route';
import { requestOnly } from './accessRequestInputs';

export const getAccessRequest = route({
  op: 'getAccessRequest',
  method: 'GET',
  path: '/v1/access-requests/{requestId}',
  summary: 'One access request, for its requester or its approvers (poll it to wait for a decision)',
  input: requestOnly,
  authorize: { on: 'caller' },
  grants: { vault: 'read' },
});

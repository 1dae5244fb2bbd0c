import { route } from '../route';
import { requestOnly } from './accessRequestInputs';

export const withdrawAccessRequest = route({
  op: 'withdrawAccessRequest',
  method: 'DELETE',
  path: '/v1/access-requests/{requestId}',
  summary: 'Withdraw your pending request, or end your approved grant early',
  input: requestOnly,
  authorize: { on: 'caller' },
  grants: { vault: 'write', writes: ['accessRequest', 'grant'] },
});

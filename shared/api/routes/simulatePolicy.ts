import { SimulationSchema } from '../../access/simulation';
import { route } from '../route';
import { input, none, SMALL_BODY } from './inputs';

export const simulatePolicy = route({
  op: 'simulatePolicy',
  method: 'POST',
  path: '/v1/policies/simulate',
  summary: 'What the policies would decide for a caller, action, path, source IP and time, and why each policy naming the caller did or did not apply',
  input: input(none, none, SimulationSchema),
  authorize: { on: 'global', action: 'policy:manage' },
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'read', users: 'lookup' },
});

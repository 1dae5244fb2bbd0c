import { route } from '../route';
import { noInput } from './inputs';

export const health = route({
  op: 'health',
  method: 'GET',
  path: '/health',
  summary: 'Liveness check; needs no token',
  input: noInput,
  authorize: { on: 'none' },
  grants: {},
});

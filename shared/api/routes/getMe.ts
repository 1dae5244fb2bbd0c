import { route } from '../route';
import { noInput } from './inputs';

export const getMe = route({
  op: 'getMe',
  method: 'GET',
  path: '/v1/me',
  summary: 'The caller: principal, groups and effective permissions now; any authenticated caller',
  input: noInput,
  authorize: { on: 'caller' },
  grants: { vault: 'read' },
});

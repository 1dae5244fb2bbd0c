import { route } from '../route';
import { noInput } from './inputs';

export const listTemplates = route({
  op: 'listTemplates',
  method: 'GET',
  path: '/v1/templates',
  summary: 'List predefined and custom secret templates; for callers allowed secret:write somewhere or template:manage',
  input: noInput,
  // Templates matter to whoever creates secrets or manages templates.
  authorize: { on: 'anywhere', anyOf: ['secret:write', 'template:manage'] },
  grants: { vault: 'read' },
});

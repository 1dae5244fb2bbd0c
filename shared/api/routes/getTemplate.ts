import * as z from 'zod';
import { TEMPLATE_ID } from '../../templates/model';
import { route } from '../route';
import { input, none } from './inputs';

export const getTemplate = route({
  op: 'getTemplate',
  method: 'GET',
  path: '/v1/templates/{templateId}',
  summary: 'Show one template; for callers allowed secret:write somewhere or template:manage',
  input: input(z.object({ templateId: z.string().regex(TEMPLATE_ID, 'not a template id').describe('Template id, e.g. webapp-otp') }).strict(), none, z.undefined()),
  // Templates matter to whoever creates secrets or manages templates.
  authorize: { on: 'anywhere', anyOf: ['secret:write', 'template:manage'] },
  grants: { vault: 'read' },
});

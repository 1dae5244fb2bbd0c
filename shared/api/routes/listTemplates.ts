import * as z from 'zod';
import { route } from '../route';
import { input, none } from './inputs';

const listQuery = z
  .object({
    retired: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Also list retired templates'),
  })
  .strict();

export const listTemplates = route({
  op: 'listTemplates',
  method: 'GET',
  path: '/v1/templates',
  summary: 'List predefined and custom secret templates (retired ones with retired=true); for callers allowed secret:write somewhere or template:manage',
  input: input(none, listQuery, z.undefined()),
  // Templates matter to whoever creates secrets or manages templates.
  authorize: { on: 'anywhere', anyOf: ['secret:write', 'template:manage'] },
  grants: { vault: 'read' },
});

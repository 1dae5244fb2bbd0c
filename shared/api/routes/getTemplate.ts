import * as z from 'zod';
import { route } from '../route';
import { input, none } from './inputs';
import { templateParams } from './templateInputs';

export const getTemplate = route({
  op: 'getTemplate',
  method: 'GET',
  path: '/v1/templates/{templateId}',
  summary: 'Show one template, retired ones too; for callers allowed secret:write somewhere or template:manage',
  input: input(templateParams, none, z.undefined()),
  // Templates matter to whoever creates secrets or manages templates.
  authorize: { on: 'anywhere', anyOf: ['secret:write', 'template:manage'] },
  grants: { vault: 'read' },
});

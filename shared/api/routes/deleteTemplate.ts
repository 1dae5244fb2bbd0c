import * as z from 'zod';
import { route } from '../route';
import { input } from './inputs';
import { expectedTemplateVersion, templateParams } from './templateInputs';

export const deleteTemplate = route({
  op: 'deleteTemplate',
  method: 'DELETE',
  path: '/v1/templates/{templateId}',
  summary:
    'Retire a custom template: it makes no new secret and leaves the listing, but stays readable (GET) for the secrets built from it. Built-in templates cannot be retired',
  input: input(templateParams, expectedTemplateVersion, z.undefined()),
  authorize: { on: 'global', action: 'template:manage' },
  successStatus: 204,
  grants: { vault: 'write', writes: ['template'] },
});

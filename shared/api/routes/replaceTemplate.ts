import { ReplaceTemplateSchema } from '../../templates/model';
import { route } from '../route';
import { input, SMALL_BODY } from './inputs';
import { expectedTemplateVersion, templateParams } from './templateInputs';

export const replaceTemplate = route({
  op: 'replaceTemplate',
  method: 'PUT',
  path: '/v1/templates/{templateId}',
  summary:
    'Replace a custom template (name, description, fields); every field it has keeps its name, type and sensitivity, for the secrets built from it. Built-in and retired templates cannot be changed',
  input: input(templateParams, expectedTemplateVersion, ReplaceTemplateSchema),
  authorize: { on: 'global', action: 'template:manage' },
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write', writes: ['template'] },
});

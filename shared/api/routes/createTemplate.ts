import { z } from 'zod';
import { CreateTemplateSchema } from '../../templates/model';
import { route } from '../route';
import { input, none, SMALL_BODY } from './inputs';

export const createTemplate = route({
  op: 'createTemplate',
  method: 'POST',
  path: '/v1/templates',
  summary: 'Create a custom secret template',
  input: input(none, z.object({}), CreateTemplateSchema),
  authorize: { on: 'global', action: 'template:manage' },
  successStatus: 201,
  body: 'json',
  maxBodyBytes: SMALL_BODY,
  grants: { vault: 'write' },
});

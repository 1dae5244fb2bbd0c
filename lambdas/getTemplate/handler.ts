import { operation } from '../../shared/api/operation';

export const handler = operation('getTemplate', async ({ input, deps, scope }) => {
  scope.audit.setTarget({ templateId: input.params.templateId });
  scope.authorize('secret:read', '*');
  return deps.templates.get(input.params.templateId);
});

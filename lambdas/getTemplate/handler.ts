import { operation } from '../../shared/api/operation';

/** Templates matter to whoever creates secrets or manages templates. */
export const handler = operation('getTemplate', async ({ input, deps, scope }) => {
  scope.audit.setTarget({ templateId: input.params.templateId });
  scope.authorizeSomewhere('secret:write', 'template:manage');
  return deps.templates.get(input.params.templateId);
});

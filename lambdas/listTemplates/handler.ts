import { operation } from '../../shared/api/operation';

/** Templates matter to whoever creates secrets or manages templates. */
export const handler = operation('listTemplates', async ({ deps, scope }) => {
  scope.authorizeSomewhere('secret:write', 'template:manage');
  return { items: await deps.templates.list() };
});

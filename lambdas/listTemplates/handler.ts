import { operation } from '../../shared/api/operation';

export const handler = operation('listTemplates', async ({ deps, scope }) => {
  scope.authorize('secret:read', '*');
  return { items: await deps.templates.list() };
});

import { operation } from '../../shared/api/operation';

export const handler = operation('createTemplate', async ({ input, deps, scope }) => {
  scope.authorize('template:manage', '*');
  return deps.templates.create(input.body, scope.principal.id, deps.clock.now(), scope.audit);
});

import { operation } from '../../shared/api/operation';

export const handler = operation('createSecret', async ({ input, deps, scope }) => {
  scope.audit.setTarget({ path: input.body.path });
  scope.authorize('secret:write', input.body.path);
  return deps.secretService.create(input.body, scope.audit);
});

import { operation } from '../../shared/api/operation';

export const handler = operation('listSecrets', async ({ input, deps, scope }) => {
  scope.authorize('secret:read', '/**');
  return deps.secretService.list(input.query);
});

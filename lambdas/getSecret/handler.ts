import { operation } from '../../shared/api/operation';

export const handler = operation('getSecret', async ({ input, deps, scope }) => {
  const secret = await scope.secret('secret:read', input.params.secretId);
  return deps.secretService.view(secret);
});

import { operation } from '../../shared/api/operation';

export const handler = operation('deleteSecret', async ({ input, deps, scope }) => {
  const secret = await scope.secret('secret:delete', input.params.secretId);
  await deps.secretService.delete(secret, scope.audit);
});

import { operation } from '../../shared/api/operation';

export const handler = operation('overwriteSeed', async ({ input, deps, scope }) => {
  const secret = await scope.secret('seed:overwrite', input.params.secretId);
  return deps.secretService.overwriteSeed(secret, input.body, scope.audit);
});

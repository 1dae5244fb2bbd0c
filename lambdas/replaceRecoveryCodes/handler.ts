import { operation } from '../../shared/api/operation';

export const handler = operation('replaceRecoveryCodes', async ({ input, deps, scope }) => {
  const secret = await scope.secret('secret:write', input.params.secretId);
  return deps.secretService.replaceRecoveryCodes(secret, input.body.codes, scope.audit);
});

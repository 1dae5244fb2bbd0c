import { operation } from '../../shared/api/operation';

export const handler = operation('revealRecoveryCode', async ({ input, deps, scope }) => {
  const secret = await scope.secret('recovery:reveal', input.params.secretId);
  return deps.codes.revealRecoveryCode(secret, scope.audit);
});

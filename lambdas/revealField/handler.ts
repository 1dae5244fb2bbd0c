import { operation } from '../../shared/api/operation';
import { revealField } from '../../shared/secrets/fieldReveal';

export const handler = operation('revealField', async ({ input, deps, scope }) => {
  const secret = await scope.secret('secret:reveal', input.params.secretId);
  return revealField(secret, input.params.field, deps, scope.audit);
});

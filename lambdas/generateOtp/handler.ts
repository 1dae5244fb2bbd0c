import { operation } from '../../shared/api/operation';

export const handler = operation('generateOtp', async ({ input, deps, scope }) => {
  const secret = await scope.secret('otp:generate', input.params.secretId);
  return deps.codes.otp(secret, input.body, scope.audit);
});

import { operation } from '../../shared/api/operation';
import { RequestScope } from '../../shared/api/requestScope';

export const handler = operation('generateOtp', async ({ input, deps, scope }) => {
  const secret = await scope.secret('otp:generate', input.params.secretId);
  // After a minValidSeconds wait (up to a period), the decision is made again with the policies then in force.
  const decideAgain = async () =>
    new RequestScope(scope.principal, scope.audit, deps, await deps.authorizer.rules(), scope.sourceIp).secret('otp:generate', secret.id);
  return deps.codes.otp(secret, input.body, scope.audit, decideAgain);
});

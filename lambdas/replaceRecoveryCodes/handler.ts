import { operation } from '../../shared/api/operation';
import { replaceRecoveryCodes } from '../../shared/api/routes/replaceRecoveryCodes';

export const handler = operation(replaceRecoveryCodes, async ({ input, deps, scope, secret }) =>
  deps.secretService.replaceRecoveryCodes(secret, input.body.codes, scope.audit),
);

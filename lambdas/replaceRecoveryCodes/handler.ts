import { operation } from '../../shared/api/operation';
import { replaceRecoveryCodes } from '../../shared/api/routes/replaceRecoveryCodes';

export const handler = operation(replaceRecoveryCodes, async ({ input, deps, audit, secret }) =>
  deps.secretService.replaceRecoveryCodes(secret, input.body.codes, audit),
);

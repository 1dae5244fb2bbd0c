import { operation } from '../../shared/api/operation';
import { replaceRecoveryCodes } from '../../shared/api/routes/replaceRecoveryCodes';
import { secretService } from '../../shared/api/services/secretService';

export const handler = operation(replaceRecoveryCodes, async ({ input, deps, audit, secret }) =>
  secretService(deps).replaceRecoveryCodes(secret, input.body.codes, audit),
);

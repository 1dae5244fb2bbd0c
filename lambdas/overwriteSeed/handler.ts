import { operation } from '../../shared/api/operation';
import { overwriteSeed } from '../../shared/api/routes/overwriteSeed';
import { secretService } from '../../shared/api/services/secretService';

export const handler = operation(overwriteSeed, async ({ input, deps, audit, secret }) =>
  secretService(deps).overwriteSeed(secret, input.body, audit),
);

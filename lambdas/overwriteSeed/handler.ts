import { operation } from '../../shared/api/operation';
import { overwriteSeed } from '../../shared/api/routes/overwriteSeed';

export const handler = operation(overwriteSeed, async ({ input, deps, audit, secret }) =>
  deps.secretService.overwriteSeed(secret, input.body, audit),
);

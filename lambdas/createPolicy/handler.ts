import { operation } from '../../shared/api/operation';
import { createPolicy } from '../../shared/api/routes/createPolicy';

export const handler = operation(createPolicy, async ({ input, deps, scope }) =>
  deps.policyAdmin.create(input.body, { by: scope.principal.id, nowMs: deps.clock.now(), audit: scope.audit }),
);

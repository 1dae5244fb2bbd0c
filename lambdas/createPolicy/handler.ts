import { operation } from '../../shared/api/operation';
import { createPolicy } from '../../shared/api/routes/createPolicy';

export const handler = operation(createPolicy, async ({ input, deps, caller, audit }) =>
  deps.policyAdmin.create(input.body, { by: caller.principal.id, nowMs: deps.clock.now(), audit: audit }),
);

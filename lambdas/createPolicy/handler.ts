import { operation } from '../../shared/api/operation';
import { createPolicy } from '../../shared/api/routes/createPolicy';
import { policyAdmin } from '../../shared/api/services/policyAdmin';

export const handler = operation(createPolicy, async ({ input, deps, caller, audit }) =>
  policyAdmin(deps).create(input.body, { by: caller.principal.id, nowMs: deps.clock.now(), audit: audit }),
);

import { operation } from '../../shared/api/operation';
import { replacePolicy } from '../../shared/api/routes/replacePolicy';
import { policyAdmin } from '../../shared/api/services/policyAdmin';

export const handler = operation(replacePolicy, async ({ input, deps, caller, audit }) =>
  policyAdmin(deps).replace(input.params.policyId, input.body, {
    by: caller.principal.id,
    nowMs: deps.clock.now(),
    audit: audit,
    expectedVersion: input.query.version,
  }),
);

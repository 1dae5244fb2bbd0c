import { operation } from '../../shared/api/operation';
import { deletePolicy } from '../../shared/api/routes/deletePolicy';
import { policyAdmin } from '../../shared/api/services/policyAdmin';

export const handler = operation(deletePolicy, async ({ input, deps, caller, audit }) => {
  await policyAdmin(deps).delete(input.params.policyId, {
    by: caller.principal.id,
    nowMs: deps.clock.now(),
    audit: audit,
    expectedVersion: input.query.version,
  });
});

import { operation } from '../../shared/api/operation';
import { deletePolicy } from '../../shared/api/routes/deletePolicy';

export const handler = operation(deletePolicy, async ({ input, deps, scope }) => {
  await deps.policyAdmin.delete(input.params.policyId, {
    by: scope.principal.id,
    nowMs: deps.clock.now(),
    audit: scope.audit,
    expectedVersion: input.query.version,
  });
});

import { operation } from '../../shared/api/operation';

export const handler = operation('deletePolicy', async ({ input, deps, scope }) => {
  scope.audit.setTarget({ policyId: input.params.policyId });
  scope.authorize('policy:manage', '*');
  await deps.policyAdmin.delete(input.params.policyId, {
    by: scope.principal.id,
    nowMs: deps.clock.now(),
    audit: scope.audit,
    expectedVersion: input.query.version,
  });
});

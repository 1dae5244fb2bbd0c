import { operation } from '../../shared/api/operation';

export const handler = operation('replacePolicy', async ({ input, deps, scope }) => {
  scope.audit.setTarget({ policyId: input.params.policyId });
  scope.authorize('policy:manage', '*');
  return deps.policyAdmin.replace(input.params.policyId, input.body, {
    by: scope.principal.id,
    nowMs: deps.clock.now(),
    audit: scope.audit,
    expectedVersion: input.query.version,
  });
});

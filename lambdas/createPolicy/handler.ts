import { operation } from '../../shared/api/operation';

export const handler = operation('createPolicy', async ({ input, deps, scope }) => {
  scope.authorize('policy:manage', '*');
  return deps.policyAdmin.create(input.body, { by: scope.principal.id, nowMs: deps.clock.now(), audit: scope.audit });
});

import { operation } from '../../shared/api/operation';

export const handler = operation('getPolicy', async ({ input, deps, scope }) => {
  scope.audit.setTarget({ policyId: input.params.policyId });
  scope.authorize('policy:manage', '*');
  return deps.policyAdmin.get(input.params.policyId);
});

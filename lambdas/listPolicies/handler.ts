import { operation } from '../../shared/api/operation';

export const handler = operation('listPolicies', async ({ deps, scope }) => {
  scope.authorize('policy:manage', '*');
  return deps.policyAdmin.list();
});

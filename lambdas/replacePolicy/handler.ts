import { operation } from '../../shared/api/operation';
import { replacePolicy } from '../../shared/api/routes/replacePolicy';

export const handler = operation(replacePolicy, async ({ input, deps, scope }) =>
  deps.policyAdmin.replace(input.params.policyId, input.body, {
    by: scope.principal.id,
    nowMs: deps.clock.now(),
    audit: scope.audit,
    expectedVersion: input.query.version,
  }),
);

import { operation } from '../../shared/api/operation';
import { getMe } from '../../shared/api/routes/getMe';
import { GLOBAL_SCOPE } from '../../shared/policy';

/** Who the caller is and what it may do now (this source IP, this time). */
export const handler = operation(getMe, async ({ deps, caller }) => {
  const { id, kind, name, groups } = caller.principal;
  return {
    principal: { id, kind, name },
    groups,
    sourceIp: caller.sourceIp ?? null,
    time: new Date(deps.clock.now()).toISOString(),
    policySetVersion: caller.rules.version,
    globalActions: caller.permissionsFor([GLOBAL_SCOPE]).get(GLOBAL_SCOPE) ?? [],
    permissions: caller.summary(),
  };
});

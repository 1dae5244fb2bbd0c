/**
 * The lock-out rule: no policy change may leave the vault without anyone able to manage
 * policies.
 *
 * The built-in policy always grants `policy:manage` to group `admins` and cannot be changed, so
 * deleting the last *stored* grant can never lock anyone out by itself; what can is a deny.
 * The rule therefore looks at every grant, the built-in included:
 *
 * - A *holder* is a principal named in an allow that covers `policy:manage` on the global scope.
 * - A holder keeps the right when the engine, judging that principal alone (a group as a member
 *   with no other groups, a user, service or role without groups), still allows `policy:manage`
 *   on `*`, with the conditions of allows taken as met and only denies without conditions
 *   counted. Conditions come and go (a time window, a source IP), so they neither make nor break
 *   the rule, which keeps it deterministic.
 * - A change is refused when no holder keeps the right afterwards. In practice: an
 *   unconditional deny of `policy:manage` (or `*`) on `*`/`/**` for group `admins` is refused
 *   unless some other holder escapes every such deny, and deleting or narrowing that other
 *   holder's grant is then refused for as long as the deny stands.
 *
 * Group membership is not known when policies are written: a user both named as a holder and
 * denied through a group keeps the right here, and may find otherwise at request time.
 */
import { GLOBAL_SCOPE } from '../pathPattern';
import { PolicyEngine } from '../PolicyEngine';
import { BUILTIN_POLICIES } from '../builtin';
import type { Policy, RequestContext } from '../types';

/** No well-formed policy can name this principal, so a group holder is judged by its group alone. */
const GROUP_MEMBER = 'member-of:';
const GROUP_PREFIX = 'group:';

/**
 * The holders of `policy:manage` that keep it if the stored policies were `after`, sorted.
 * Empty means the change would lock everyone out.
 *
 * @param after - every stored policy as it would be after the change (built-ins are added)
 * @example
 * if (policyManagersAfter(remaining).length === 0) throw new ConflictError('…', 'PolicyLockout');
 */
export function policyManagersAfter(after: readonly Policy[]): string[] {
  const settled = after.flatMap((policy): Policy[] => {
    if (policy.effect === 'allow') return [{ ...policy, conditions: undefined }];
    return hasConditions(policy) ? [] : [policy];
  });
  const engine = new PolicyEngine(settled);
  const holders = new Set<string>();
  for (const policy of [...BUILTIN_POLICIES, ...settled]) {
    if (policy.effect !== 'allow' || !coversPolicyManage(policy)) continue;
    for (const principal of policy.principals) holders.add(principal);
  }
  return [...holders]
    .filter((holder) => engine.decide(alone(holder), 'policy:manage', GLOBAL_SCOPE).allowed)
    .sort();
}

function alone(holder: string): RequestContext {
  // Conditions are settled above, so neither the time nor a source IP matters.
  return holder.startsWith(GROUP_PREFIX)
    ? { principal: GROUP_MEMBER, groups: [holder.slice(GROUP_PREFIX.length)], timeMs: 0 }
    : { principal: holder, groups: [], timeMs: 0 };
}

function coversPolicyManage(policy: Policy): boolean {
  const action = policy.actions.some((a) => a === '*' || a === 'policy:manage');
  const scope = policy.resources.some((r) => r === GLOBAL_SCOPE || r === '/**');
  return action && scope;
}

function hasConditions(policy: Policy): boolean {
  return policy.conditions !== undefined && Object.values(policy.conditions).some((value) => value !== undefined);
}

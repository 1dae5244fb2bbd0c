import {
  ACTION_DETAILS,
  ACTIONS,
  actionBit,
  actionsInMask,
  ActionScope,
  GLOBAL_ACTIONS_MASK,
  isAction,
  SECRET_ACTIONS_MASK,
  type Action,
} from './actions';
import { BUILTIN_POLICIES, isBuiltinPolicyId } from './builtin';
import { compilePolicy, conditionsLetApply, coversTarget, mergeApprovals, type CompiledPolicy, type Target } from './compile';
import { ConditionState, RequestFacts } from './conditions';
import { PathIndex } from './PathIndex';
import { GLOBAL_SCOPE, isCanonicalPath } from './pathPattern';
import { boundTo, userName } from './bindings';
import { principalProblem, requestPrincipals } from './principals';
import {
  PolicyOutcome,
  type ApprovalRequirement,
  type Decision,
  type PermissionSummary,
  type Policy,
  type PolicyEvaluation,
  type PolicyRef,
  type RequestContext,
} from './types';

export interface PolicyEngineOptions {
  /**
   * Add the built-in policies (group `admins` may do everything). A policy passed in with a
   * built-in id is ignored: built-ins cannot be changed.
   * @default true
   */
  includeBuiltins?: boolean;
}

/**
 * Decides requests against a set of policies. Default deny; an applicable deny beats any
 * allow; conditions that cannot be evaluated never grant (see `conditions.ts`).
 *
 * Policies are indexed by principal, so the cost of a request depends on the policies for
 * its caller and the caller's groups, not on the total. Build one engine per policy set and
 * reuse it; it holds no per-request state.
 *
 * @example
 * const engine = new PolicyEngine(await store.listPolicies());
 * const decision = engine.decide({ principal: 'user:alice', groups: ['ops'], sourceIp, timeMs: clock.now() }, 'otp:generate', '/aws/prod/root');
 * if (!decision.allowed) throw new ForbiddenError(decision.reason);
 */
export class PolicyEngine {
  private readonly byPrincipal = new Map<string, CompiledPolicy[]>();
  private readonly includeBuiltins: boolean;

  /**
   * @param policies - stored policies (validated when written)
   * @param options - see {@link PolicyEngineOptions}
   */
  constructor(policies: readonly Policy[], options: PolicyEngineOptions = {}) {
    this.includeBuiltins = options.includeBuiltins ?? true;
    this.withBuiltins(policies).forEach((policy, ordinal) => {
      const compiled = compilePolicy(policy, ordinal);
      for (const principal of new Set(compiled.principals)) {
        const list = this.byPrincipal.get(principal);
        if (list) list.push(compiled);
        else this.byPrincipal.set(principal, [compiled]);
      }
    });
  }

  /**
   * May the caller do `action` on `path`?
   *
   * @param ctx - the caller and request facts
   * @param action - the action asked for
   * @param path - a canonical secret path for secret actions, `*` for global actions; any other
   *   pairing (or a path not in canonical form) is denied
   * @returns the decision; `reason` is safe to show the caller
   * @example
   * engine.decide(ctx, 'policy:manage', '*');
   */
  decide(ctx: RequestContext, action: Action, path: string): Decision {
    const target = targetFor(action, path);
    const bit = isAction(action) ? actionBit(action) : 0;
    const facts = new RequestFacts(ctx.sourceIp, ctx.timeMs);
    const evaluated: PolicyEvaluation[] = [];
    const allows: PolicyRef[] = [];
    const denies: PolicyRef[] = [];
    const approvals: CompiledPolicy[] = [];
    for (const policy of this.forCaller(ctx)) {
      const line = evaluate(policy, bit, target, facts);
      evaluated.push(line);
      if (line.outcome !== PolicyOutcome.applied) continue;
      if (policy.ref.effect === 'deny') denies.push({ ...policy.ref });
      else if (policy.approval) approvals.push(policy);
      else allows.push({ ...policy.ref });
    }
    if (denies.length > 0) return { allowed: false, reason: notAllowed(action, path), decidedBy: denies, evaluated };
    if (allows.length > 0) return { allowed: true, reason: `allowed to ${action} on ${path}`, decidedBy: allows, evaluated };
    const needsApproval = mergeApprovals(approvals.map((p) => p.approval as ApprovalRequirement));
    if (needsApproval) {
      const decidedBy = approvals.map((p) => ({ ...p.ref }));
      return { allowed: false, reason: `${action} on ${path} needs approval: request access first`, decidedBy, evaluated, needsApproval };
    }
    return { allowed: false, reason: notAllowed(action, path), decidedBy: [], evaluated };
  }

  /**
   * The actions the caller may do on each path ("my secrets"), agreeing with {@link decide}
   * path by path. Conditions are evaluated once per policy, not per path.
   *
   * @param ctx - the caller and request facts
   * @param paths - canonical secret paths (secret actions are reported) or `*` (global actions)
   * @returns for every path asked, the allowed actions in catalogue order (possibly none)
   * @example
   * engine.permissionsFor(ctx, ['/aws/prod/root', '*']).get('/aws/prod/root'); // ['otp:generate', 'secret:read']
   */
  permissionsFor(ctx: RequestContext, paths: readonly string[]): Map<string, Action[]> {
    return this.pathActions(ctx, paths, 'standing');
  }

  /**
   * The actions on each path the caller may do only under an approved grant ("needs approval"):
   * allowed by an approval policy, not by a standing allow, and not denied.
   *
   * @example
   * engine.needsApprovalFor(ctx, ['/aws/prod/root']).get('/aws/prod/root'); // ['otp:generate']
   */
  needsApprovalFor(ctx: RequestContext, paths: readonly string[]): Map<string, Action[]> {
    return this.pathActions(ctx, paths, 'approval');
  }

  private pathActions(ctx: RequestContext, paths: readonly string[], which: 'standing' | 'approval'): Map<string, Action[]> {
    const active = this.active(ctx);
    const allows = active.filter((p) => p.ref.effect === 'allow' && !p.approval);
    const approvalIndex = which === 'approval' ? new PathIndex(active.filter((p) => p.approval), SECRET_ACTIONS_MASK) : undefined;
    const denies = active.filter((p) => p.ref.effect === 'deny');
    const allowIndex = new PathIndex(allows, SECRET_ACTIONS_MASK);
    const denyIndex = new PathIndex(denies, SECRET_ACTIONS_MASK);
    const globalMask = (list: CompiledPolicy[]): number =>
      list.reduce((mask, p) => (p.global ? mask | p.mask : mask), 0) & GLOBAL_ACTIONS_MASK;
    const globalAllowed = globalMask(allows) & ~globalMask(denies);

    const result = new Map<string, Action[]>();
    for (const path of paths) {
      if (result.has(path)) continue;
      if (approvalIndex) {
        // Approval covers secret actions only (the schema refuses it on global ones).
        if (path === GLOBAL_SCOPE || !isCanonicalPath(path)) {
          result.set(path, []);
          continue;
        }
        const standing = allowIndex.maskFor(path, SECRET_ACTIONS_MASK);
        const wanted = approvalIndex.maskFor(path, SECRET_ACTIONS_MASK & ~standing);
        result.set(path, actionsInMask(wanted & ~denyIndex.maskFor(path, wanted)));
      } else if (path === GLOBAL_SCOPE) {
        result.set(path, actionsInMask(globalAllowed));
      } else if (!isCanonicalPath(path)) {
        result.set(path, []);
      } else {
        const allowed = allowIndex.maskFor(path, SECRET_ACTIONS_MASK);
        const denied = denyIndex.maskFor(path, allowed);
        result.set(path, actionsInMask(allowed & ~denied));
      }
    }
    return result;
  }

  /**
   * Effective permissions now (this time, this source IP), per action, as resource patterns:
   * for `GET /v1/me`. An action is allowed on a path when some allow pattern matches it and no
   * deny pattern does.
   *
   * @param ctx - the caller and request facts
   * @param which - `standing` allows (the default), or the allows that need `approval`; denies count in both
   * @returns one row per action, in catalogue order
   * @example
   * engine.summary(ctx).find((row) => row.action === 'otp:generate'); // { allow: ['/aws/**'], deny: ['/aws/prod/**'] }
   */
  summary(ctx: RequestContext, which: 'standing' | 'approval' = 'standing'): PermissionSummary[] {
    const active = this.active(ctx).filter((p) => p.ref.effect === 'deny' || (which === 'approval') === (p.approval !== undefined));
    return ACTIONS.map((action) => {
      const bit = actionBit(action);
      const global = ACTION_DETAILS[action].scope === ActionScope.global;
      const allow = new Set<string>();
      const deny = new Set<string>();
      for (const policy of active) {
        if ((policy.mask & bit) === 0) continue;
        const into = policy.ref.effect === 'allow' ? allow : deny;
        if (global) {
          for (const source of policy.globalSources) into.add(source);
        } else {
          for (const matcher of policy.pathMatchers) into.add(matcher.source);
        }
      }
      return { action, allow: [...allow], deny: [...deny] };
    });
  }

  /**
   * Would some policy still allow `policy:manage` to someone if the stored policies were `after`?
   * Use it to refuse deleting or narrowing the last such policy. Built-ins count when the engine
   * includes them (then the answer is always true). A grant counts when it is an allow of
   * `policy:manage` (or `*`) on the global scope (`*` or `/**`) to at least one well-formed
   * principal; conditions, denies and group membership are not considered.
   *
   * @param after - every stored policy as it would be after the change
   * @example
   * if (!engine.canManagePolicies(remaining)) throw new ConflictError('the last policy granting policy:manage cannot be deleted');
   */
  canManagePolicies(after: readonly Policy[]): boolean {
    const bit = actionBit('policy:manage');
    return this.withBuiltins(after).some((policy, ordinal) => {
      const compiled = compilePolicy(policy, ordinal);
      const grants = compiled.ref.effect === 'allow' && (compiled.mask & bit) !== 0 && compiled.global;
      return grants && compiled.principals.some((principal) => principalProblem(principal) === undefined);
    });
  }

  private withBuiltins(policies: readonly Policy[]): readonly Policy[] {
    if (!this.includeBuiltins) return policies;
    return [...BUILTIN_POLICIES, ...policies.filter((p) => !isBuiltinPolicyId(p.id))];
  }

  /**
   * Policies naming the caller or one of its groups, each once, in engine order. A policy naming
   * a user caller counts only when it was bound to the caller's sub (when the context carries one).
   */
  private forCaller(ctx: RequestContext): readonly CompiledPolicy[] {
    let found: readonly CompiledPolicy[] | undefined;
    let merged: Set<CompiledPolicy> | undefined;
    const username = ctx.sub !== undefined ? userName(ctx.principal) : undefined;
    for (const key of requestPrincipals(ctx.principal, ctx.groups ?? [])) {
      let list = this.byPrincipal.get(key);
      if (list && username !== undefined && key === ctx.principal) list = list.filter((p) => boundTo(p.userSubs, username, ctx.sub));
      if (!list || list.length === 0) continue;
      if (!found) {
        found = list;
        continue;
      }
      merged ??= new Set(found);
      for (const policy of list) merged.add(policy);
    }
    if (!merged) return found ?? [];
    return [...merged].sort((a, b) => a.ordinal - b.ordinal);
  }

  /** Policies for the caller whose conditions let them apply to this request. */
  private active(ctx: RequestContext): CompiledPolicy[] {
    const facts = new RequestFacts(ctx.sourceIp, ctx.timeMs);
    return this.forCaller(ctx).filter((policy) => policy.mask !== 0 && conditionsLetApply(policy, policy.conditions(facts)));
  }
}

function notAllowed(action: string, path: string): string {
  return `not allowed to ${action} on ${path}`;
}

/** The target an action is checked against, or why the path cannot be one for this action. */
function targetFor(action: Action, path: string): Target | string {
  const global = isAction(action) && ACTION_DETAILS[action].scope === ActionScope.global;
  if (global) return path === GLOBAL_SCOPE ? { kind: 'global' } : `${action} is checked only against the global scope "*"`;
  if (path === GLOBAL_SCOPE) return `${action} is checked against a secret path, not the global scope`;
  if (!isCanonicalPath(path)) return 'the path is not a canonical secret path';
  return { kind: 'path', path };
}

function evaluate(policy: CompiledPolicy, bit: number, target: Target | string, facts: RequestFacts): PolicyEvaluation {
  const { id, name, effect } = policy.ref;
  if ((policy.mask & bit) === 0) return { id, name, effect, outcome: PolicyOutcome.actionNotCovered, note: 'the action is not in the policy' };
  if (typeof target === 'string') return { id, name, effect, outcome: PolicyOutcome.resourceNotMatched, note: target };
  if (!coversTarget(policy, target)) return { id, name, effect, outcome: PolicyOutcome.resourceNotMatched, note: 'no resource pattern matches' };
  const { state, note } = policy.conditions(facts);
  if (state === ConditionState.unmet) return { id, name, effect, outcome: PolicyOutcome.conditionsNotMet, note };
  if (state === ConditionState.unknown) {
    return effect === 'allow'
      ? { id, name, effect, outcome: PolicyOutcome.conditionsUnknown, note: `${note}; an allow needs every condition met` }
      : { id, name, effect, outcome: PolicyOutcome.applied, note: `${note}; a deny applies when in doubt` };
  }
  const grant = policy.approval ? '; allows only under an approved, unexpired grant' : '';
  return { id, name, effect, outcome: PolicyOutcome.applied, note: (note || 'no conditions') + grant };
}

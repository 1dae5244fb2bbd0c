import type { Principal } from '../auth/principal';
import type { Action, Decision, PermissionSummary, Policy, RequestContext } from '../policy';
import type { PolicyCache } from '../policy/store';

/** Who asks, from where and when: what policy conditions are evaluated against. */
export interface AccessContext {
  principal: Principal;
  /** The request's source IP; without one, an allow with a sourceIp condition never applies. */
  sourceIp?: string;
  /** Request time, epoch milliseconds. */
  timeMs: number;
}

export interface AccessRequest extends AccessContext {
  action: Action;
  /** Canonical secret path for secret actions, `*` for global ones (`policy:manage`, ...). */
  path: string;
}

/** A decision with the policies that made it (`decidedBy`) and every policy for the caller (`evaluated`). */
export type AccessDecision = Decision;

/**
 * The access rules in force for one request. Every decision of a request is made against the
 * same policy set, loaded once before the handler runs, so deciding stays synchronous.
 */
export interface AccessRules {
  /** Version of the policy set the rules come from (0 before the first policy change). */
  readonly version: number;
  /** The stored policies the rules come from (built-ins not included), as read. */
  readonly policies: readonly Policy[];
  decide(request: AccessRequest): AccessDecision;
  /** The actions the caller may do on each path (`*` for global actions). */
  permissionsFor(context: AccessContext, paths: readonly string[]): Map<string, Action[]>;
  /** The actions the caller may do only under an approved grant, per path. */
  needsApprovalFor(context: AccessContext, paths: readonly string[]): Map<string, Action[]>;
  /** Effective permissions per action, as resource patterns, at this time and source IP (`approval`: of approval policies). */
  summary(context: AccessContext, which?: 'standing' | 'approval'): PermissionSummary[];
}

/** Where a request's rules come from: the one place that decides (default deny). */
export interface RulesSource {
  /** The rules in force now. Called once per request, after authentication, before the handler. */
  current(): Promise<AccessRules>;
}

/**
 * Decides with the policy engine over the stored policies plus the built-in ones (group
 * `admins` may do everything). The compiled engine is cached while the Lambda is warm and
 * re-validated on every request with one consistent read of the policy-set version.
 *
 * @example
 * const source = new PolicyRules(new PolicyCache(new PolicyStore(db, table)));
 * const rules = await source.current();
 * rules.decide({ principal, action: 'otp:generate', path: '/aws/prod/root', sourceIp, timeMs: Date.now() });
 */
export class PolicyRules implements RulesSource {
  constructor(private readonly cache: PolicyCache) {}

  async current(): Promise<AccessRules> {
    const { version, engine, policies } = await this.cache.current();
    return {
      version,
      policies,
      decide: (request) => engine.decide(requestContext(request), request.action, request.path),
      permissionsFor: (context, paths) => engine.permissionsFor(requestContext(context), paths),
      needsApprovalFor: (context, paths) => engine.needsApprovalFor(requestContext(context), paths),
      summary: (context, which) => engine.summary(requestContext(context), which),
    };
  }
}

/**
 * What the engine knows of a request: the principal id (`user:alice`), a user's sub, its groups
 * and the facts. A user is always judged with a sub, so policies match only the account they were
 * bound to; one without a sub (never from a verified token) matches no user binding at all.
 */
function requestContext(context: AccessContext): RequestContext {
  const { principal } = context;
  return {
    principal: principal.id,
    ...(principal.kind === 'user' ? { sub: principal.sub ?? '' } : {}),
    groups: principal.groups,
    ...(context.sourceIp !== undefined ? { sourceIp: context.sourceIp } : {}),
    timeMs: context.timeMs,
  };
}

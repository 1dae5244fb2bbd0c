/**
 * The policy engine: who may do which action on which secret path. Pure domain code (no AWS,
 * no HTTP); this file is its only public surface.
 *
 * Rules, in short:
 * - Default deny. An applicable deny beats any allow.
 * - A policy applies to a request when it names the caller or one of its groups, lists the
 *   action (or `*`, every action, including ones added later), has a resource matching the
 *   target, and its conditions let it apply: an allow needs every condition met; a deny applies
 *   unless a condition is known not to hold, so a condition that cannot be evaluated (unknown
 *   time zone, missing or unparsable source IP) never grants.
 * - Secret actions are checked against a canonical secret path; global actions
 *   (`template:manage`, `policy:manage`, `audit:read`) against the global scope `*`, which the
 *   resources `*` and `/**` cover. Any other pairing, and any path not in canonical form, is denied.
 * - Denial reasons are "not allowed to <action> on <path>" with the path as asked, whatever exists.
 * - Policies are validated when written (`validatePolicy`); the engine never throws on stored
 *   data, and anything in it that it cannot read can only narrow access.
 */
export { ACTIONS, ACTION_DETAILS, ALL_ACTIONS, ActionScope, GLOBAL_ACTIONS, SECRET_ACTIONS, isAction } from './actions';
export type { Action } from './actions';
export { BUILTIN_ADMINS_POLICY, BUILTIN_POLICIES, isBuiltinPolicyId } from './builtin';
export { GLOBAL_SCOPE } from './pathPattern';
export { PRINCIPAL_KINDS, requestPrincipals } from './principals';
export type { PrincipalKind } from './principals';
export { POLICY_LIMITS, PolicyDocumentSchema } from './schema';
export type { PolicyDocument } from './schema';
export { WEEKDAYS } from './timeWindow';
export type { TimeWindow, Weekday } from './timeWindow';
export { validatePolicy } from './validatePolicy';
export type { PolicyIssue } from './validatePolicy';
export { PolicyEngine } from './PolicyEngine';
export { mergeApprovals } from './compile';
export { bindingWarnings, boundTo, namedUsers, userName } from './bindings';
export type { UserSubs } from './bindings';
export type { PolicyEngineOptions } from './PolicyEngine';
export { PolicyOutcome } from './types';
export type { ApprovalRequirement, Decision, PermissionSummary, Policy, PolicyEvaluation, PolicyRef, RequestContext } from './types';

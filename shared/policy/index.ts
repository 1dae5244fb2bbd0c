/**
 * The policy engine: who may do which action on which secret path. Pure domain code.
 */
export { ACTIONS, ACTION_DETAILS, ALL_ACTIONS, ActionScope, GLOBAL_ACTIONS, SECRET_ACTIONS, isAction } from './actions';
export type { Action } from './actions';
export { BUILTIN_ADMINS_POLICY, BUILTIN_POLICIES, isBuiltinPolicyId } from './builtin';
export { GLOBAL_SCOPE } from './pathPattern';
export { PRINCIPAL_KINDS } from './principals';
export type { PrincipalKind } from './principals';
export { POLICY_LIMITS, PolicyDocumentSchema } from './schema';
export type { PolicyDocument } from './schema';
export { WEEKDAYS } from './timeWindow';
export type { TimeWindow, Weekday } from './timeWindow';
export { validatePolicy } from './validatePolicy';
export type { PolicyIssue } from './validatePolicy';
export { PolicyEngine } from './PolicyEngine';
export type { PolicyEngineOptions } from './PolicyEngine';
export { PolicyOutcome } from './types';
export type { Decision, PermissionSummary, Policy, PolicyEvaluation, PolicyRef, RequestContext } from './types';

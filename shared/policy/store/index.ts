/**
 * Access policies at rest: the DynamoDB store, the per-Lambda cache of the compiled engine
 * (one consistent read of the policy-set version per request), and the administration of the
 * set (built-ins read-only, no lock-out, every change audited in its own transaction).
 */
export { PolicyStore } from './PolicyStore';
export { PolicyCache } from './PolicyCache';
export type { CompiledPolicySet } from './PolicyCache';
export { PolicyAdmin } from './PolicyAdmin';
export type { PolicyChange, PolicyDetail, PolicyView } from './PolicyAdmin';
export { policyManagersAfter } from './lockout';
export { POLICY_ID } from './policyRecord';
export type { PolicyRecord, PolicySet } from './policyRecord';

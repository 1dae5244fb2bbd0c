/**
 * A policy turned into what evaluation needs: an action bit mask, matcher functions for its
 * resources and one function for its conditions. Compiling never throws: whatever a stored
 * policy holds that we cannot read can only narrow access (an unreadable resource pattern
 * matches nothing in an allow and everything in a deny; conditions see `conditions.ts`).
 */
import { actionMask } from './actions';
import { compileConditions, ConditionState, type CompiledConditions, type ConditionOutcome } from './conditions';
import { compilePattern, type PathMatcher } from './pathPattern';
import { userName, type UserSubs } from './bindings';
import type { ApprovalRequirement, Policy, PolicyRef } from './types';

export interface CompiledPolicy {
  /** Position in the engine's list, to keep outputs in a stable order. */
  readonly ordinal: number;
  readonly ref: PolicyRef;
  readonly principals: readonly string[];
  /** The subs the named users were bound to when the policy was saved. */
  readonly userSubs?: UserSubs;
  readonly mask: number;
  /** Some resource covers the global scope. */
  readonly global: boolean;
  /** The resources as written that cover the global scope (`*`, `/**`). */
  readonly globalSources: readonly string[];
  /** Resources that can match secret paths. */
  readonly pathMatchers: readonly PathMatcher[];
  readonly conditions: CompiledConditions;
  /** An allow that applies only under an approved grant (never standing access). */
  readonly approval?: ApprovalRequirement;
}

/** Where a request points: the global scope, or a canonical secret path. */
export type Target = { kind: 'global' } | { kind: 'path'; path: string };

export function compilePolicy(policy: Policy, ordinal: number): CompiledPolicy {
  const effect = policy.effect === 'allow' ? 'allow' : 'deny';
  const onInvalid = effect === 'deny' ? 'matchAll' : 'matchNone';
  const matchers = (policy.resources ?? []).map((r) => compilePattern(r, onInvalid));
  return {
    ordinal,
    ref: { id: policy.id, name: policy.name, effect },
    principals: policy.principals ?? [],
    ...(policy.userSubs !== undefined ? { userSubs: policy.userSubs } : {}),
    mask: actionMask(policy.actions ?? []),
    global: matchers.some((m) => m.global),
    globalSources: matchers.filter((m) => m.global).map((m) => m.source),
    pathMatchers: matchers.filter((m) => m.paths),
    conditions: compileConditions(policy.conditions),
    ...(policy.approval !== undefined && effect === 'allow' ? { approval: approvalOf(policy) } : {}),
  };
}

/**
 * The approval block as evaluation uses it. A stored block we cannot fully read still requires
 * approval (it can only narrow access): missing numbers take their defaults.
 */
function approvalOf(policy: Policy): ApprovalRequirement {
  const block = policy.approval ?? { approvers: [], minApprovals: 1, grantMinutes: 60, justificationRequired: false };
  const approvers = Array.isArray(block.approvers) ? [...block.approvers] : [];
  const approverSubs: Record<string, string[]> = {};
  for (const approver of approvers) {
    const name = userName(approver);
    const sub = name !== undefined && policy.userSubs && Object.hasOwn(policy.userSubs, name) ? policy.userSubs[name] : undefined;
    if (name !== undefined && sub !== undefined) approverSubs[name] = [sub];
  }
  return {
    policyIds: [policy.id],
    approvers,
    approverSubs,
    minApprovals: Number.isInteger(block.minApprovals) && block.minApprovals >= 1 ? block.minApprovals : 1,
    grantMinutes: Number.isInteger(block.grantMinutes) && block.grantMinutes >= 1 ? block.grantMinutes : 60,
    justificationRequired: block.justificationRequired !== false,
  };
}

/**
 * What a request needs when several approval policies apply: any approver of any of them, the
 * most approvals and the shortest grant any of them asks for, a justification if any wants one.
 */
export function mergeApprovals(requirements: readonly ApprovalRequirement[]): ApprovalRequirement | undefined {
  if (requirements.length === 0) return undefined;
  return {
    policyIds: [...new Set(requirements.flatMap((r) => r.policyIds))],
    approvers: [...new Set(requirements.flatMap((r) => r.approvers))],
    approverSubs: mergeSubs(requirements.map((r) => r.approverSubs)),
    minApprovals: Math.max(...requirements.map((r) => r.minApprovals)),
    grantMinutes: Math.min(...requirements.map((r) => r.grantMinutes)),
    justificationRequired: requirements.some((r) => r.justificationRequired),
  };
}

function mergeSubs(all: readonly Record<string, string[]>[]): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const subs of all) {
    for (const [name, list] of Object.entries(subs ?? {})) merged[name] = [...new Set([...(merged[name] ?? []), ...list])];
  }
  return merged;
}

/** True when some resource of the policy covers the target. */
export function coversTarget(policy: CompiledPolicy, target: Target): boolean {
  if (target.kind === 'global') return policy.global;
  for (const matcher of policy.pathMatchers) {
    if (matcher.match(target.path)) return true;
  }
  return false;
}

/** Whether the policy takes part given its conditions: an allow needs them met, a deny only needs them not unmet. */
export function conditionsLetApply(policy: CompiledPolicy, outcome: ConditionOutcome): boolean {
  return policy.ref.effect === 'allow' ? outcome.state === ConditionState.met : outcome.state !== ConditionState.unmet;
}

/**
 * A policy turned into what evaluation needs: an action bit mask, matcher functions for its
 * resources and one function for its conditions. Compiling never throws: whatever a stored
 * policy holds that we cannot read can only narrow access (an unreadable resource pattern
 * matches nothing in an allow and everything in a deny; conditions see `conditions.ts`).
 */
import { actionMask } from './actions';
import { compileConditions, ConditionState, type CompiledConditions, type ConditionOutcome } from './conditions';
import { compilePattern, type PathMatcher } from './pathPattern';
import type { Policy, PolicyRef } from './types';

export interface CompiledPolicy {
  /** Position in the engine's list, to keep outputs in a stable order. */
  readonly ordinal: number;
  readonly ref: PolicyRef;
  readonly principals: readonly string[];
  readonly mask: number;
  /** Some resource covers the global scope. */
  readonly global: boolean;
  /** The resources as written that cover the global scope (`*`, `/**`). */
  readonly globalSources: readonly string[];
  /** Resources that can match secret paths. */
  readonly pathMatchers: readonly PathMatcher[];
  readonly conditions: CompiledConditions;
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
    mask: actionMask(policy.actions ?? []),
    global: matchers.some((m) => m.global),
    globalSources: matchers.filter((m) => m.global).map((m) => m.source),
    pathMatchers: matchers.filter((m) => m.paths),
    conditions: compileConditions(policy.conditions),
  };
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

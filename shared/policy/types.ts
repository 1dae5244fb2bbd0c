import type { Action } from './actions';
import type { UserSubs } from './bindings';
import type { PolicyDocument } from './schema';

/** A stored policy: the document plus its identity. */
export interface Policy extends PolicyDocument {
  /** Stable id; `builtin-…` ids are reserved for built-in policies. */
  id: string;
  /** True for built-in policies, which cannot be changed or deleted. */
  builtin?: boolean;
  /** Optimistic-locking version, bumped on every change. */
  version?: number;
  /**
   * The sub each named user had when the policy was saved (`bindings.ts`), kept beside the
   * document. `user:<name>` matches only that account; a user without a binding matches nobody
   * once the caller's sub is known.
   */
  userSubs?: UserSubs;
}

/** What the engine knows about a request. */
export interface RequestContext {
  /** The caller, `user:alice`, `service:deploy-bot` or `role:arn:aws:iam::…:role/ci`. */
  principal: string;
  /**
   * A user caller's account id (sub). When given, a policy naming `user:<name>` applies only if it
   * was bound to this sub; when left out (analysis of policies without callers, like the
   * lock-out rule), user names are matched alone.
   */
  sub?: string;
  /** Groups the caller is in, as names (`ops`); `group:ops` is accepted too. */
  groups: string[];
  /** Source IP, IPv4 or IPv6; without it, policies with a sourceIp condition cannot be evaluated. */
  sourceIp?: string;
  /** Request time, epoch milliseconds. */
  timeMs: number;
}

/** What it takes to use an allow that carries an approval block (merged when several apply). */
export interface ApprovalRequirement {
  /** The approval policies this comes from. */
  policyIds: string[];
  /** Principals that may approve (`user:carol`, `group:security`). */
  approvers: string[];
  /** For each approving user (by name), the subs the approval policies bound it to: only those accounts approve. */
  approverSubs: Record<string, string[]>;
  minApprovals: number;
  grantMinutes: number;
  justificationRequired: boolean;
}

/** A policy named in a decision. */
export interface PolicyRef {
  id: string;
  name: string;
  effect: 'allow' | 'deny';
}

/** Why a policy for the caller did or did not take part in a decision. */
export const PolicyOutcome = {
  /** It covers the action and resource and its conditions let it apply. */
  applied: 'applied',
  actionNotCovered: 'actionNotCovered',
  resourceNotMatched: 'resourceNotMatched',
  conditionsNotMet: 'conditionsNotMet',
  /** Allows only: conditions could not be evaluated, so the allow does not apply. */
  conditionsUnknown: 'conditionsUnknown',
} as const;
export type PolicyOutcome = (typeof PolicyOutcome)[keyof typeof PolicyOutcome];

/** One line of the simulator-style explanation. */
export interface PolicyEvaluation extends PolicyRef {
  outcome: PolicyOutcome;
  /** Human-readable detail (which condition, and why). For logs, not for callers. */
  note: string;
}

/** The answer to "may this caller do this action on this path?". */
export interface Decision {
  allowed: boolean;
  /**
   * Safe to show the caller: "allowed to <action> on <path>" or "not allowed to <action> on <path>",
   * with the path as asked, whether or not it exists.
   */
  reason: string;
  /** The policies that decided: the applicable denies when denied by policy, the applicable allows when allowed; empty for the default deny. */
  decidedBy: PolicyRef[];
  /** Every policy for the caller with its outcome, like the IAM policy simulator. */
  evaluated: PolicyEvaluation[];
  /**
   * Set when the only applicable allows carry an approval block: the request is allowed under an
   * approved, unexpired grant for this secret and action, and this says how to get one.
   */
  needsApproval?: ApprovalRequirement;
}

/** One row of the effective-permissions summary. */
export interface PermissionSummary {
  action: Action;
  /** Resource patterns of allows that apply to the caller now. */
  allow: string[];
  /** Resource patterns of denies that apply to the caller now (including ones whose conditions cannot be evaluated). */
  deny: string[];
}

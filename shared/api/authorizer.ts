import type { Principal } from '../auth/principal';

export interface AccessRequest {
  principal: Principal;
  action: string;
  /** Secret path, or `*` for actions that are not about one secret. */
  path: string;
  sourceIp: string;
  timeMs: number;
}

export interface AccessDecision {
  allowed: boolean;
  reason: string;
}

/** The one place that decides; every request goes through it (default deny). */
export interface Authorizer {
  decide(request: AccessRequest): AccessDecision;
}

/**
 * Until policies exist: members of group `admins` may do everything, everyone else nothing.
 * The policy engine replaces this object, nothing else.
 */
export const adminsOnly: Authorizer = {
  decide: ({ principal, action }) =>
    principal.groups.includes('admins')
      ? { allowed: true, reason: 'member of group admins' }
      : { allowed: false, reason: `not allowed to ${action}: no policy grants it` },
};

/**
 * Binding the users a policy names to their accounts. People are named by username
 * (`user:alice`), which a re-created account inherits; the sub does not change for the life of an
 * account and is never reused. When a policy is written, each named user (in `principals` and in
 * `approval.approvers`) is bound to the sub that name has then; evaluation matches `user:alice`
 * only for a caller named alice whose sub is the bound one. A binding to a deleted account (or
 * none at all, for a policy saved before bindings existed) matches nobody: saving the policy again
 * binds the name to its current account.
 */
import type { PolicyDocument } from './schema';

/** Username → the sub it was bound to when the policy was saved. */
export type UserSubs = Readonly<Record<string, string>>;

const USER_PREFIX = 'user:';

/** The usernames a policy names, as principals or approvers, each once, sorted. */
export function namedUsers(document: Pick<PolicyDocument, 'principals' | 'approval'>): string[] {
  const named = [...(document.principals ?? []), ...(document.approval?.approvers ?? [])];
  return [...new Set(named.filter((p) => p.startsWith(USER_PREFIX)).map((p) => p.slice(USER_PREFIX.length)))].sort();
}

/** The username of a `user:` principal string, else undefined. */
export function userName(principal: string): string | undefined {
  return principal.startsWith(USER_PREFIX) ? principal.slice(USER_PREFIX.length) : undefined;
}

/**
 * Does a policy's binding of `username` match this caller's account? A missing binding or a
 * caller without a sub never does.
 */
export function boundTo(userSubs: UserSubs | undefined, username: string, sub: string | undefined): boolean {
  if (sub === undefined || userSubs === undefined) return false;
  return Object.hasOwn(userSubs, username) && userSubs[username] === sub;
}

/**
 * What an admin should know about a policy's bindings, given the subs the named users have now
 * (undefined: no such user any more): one sentence per user whose binding no longer matches.
 */
export function bindingWarnings(
  document: Pick<PolicyDocument, 'principals' | 'approval'>,
  userSubs: UserSubs | undefined,
  current: ReadonlyMap<string, string | undefined>,
): string[] {
  const warnings: string[] = [];
  for (const username of namedUsers(document)) {
    const bound = userSubs && Object.hasOwn(userSubs, username) ? userSubs[username] : undefined;
    const now = current.get(username);
    if (bound === undefined) warnings.push(`user ${username} is not bound to an account (the policy was saved before bindings existed); save it again to grant them`);
    else if (now === undefined) warnings.push(`user ${username} no longer exists; this policy grants nobody by that name`);
    else if (now !== bound) warnings.push(`user ${username} was re-created after this policy was saved; save it again to grant the new account`);
  }
  return warnings;
}

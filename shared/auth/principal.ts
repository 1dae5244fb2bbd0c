/** Who is calling. `id` is the form policies name: `user:alice`, `service:deploy-bot`, `role:arn:...`. */
export type PrincipalKind = 'user' | 'service' | 'role';

export interface Principal {
  id: string;
  kind: PrincipalKind;
  name: string;
  groups: string[];
  /**
   * Users only: the identity provider's immutable user id (Cognito `sub`). A username can be given
   * to a new account after the old one is deleted; the sub never is, so authorization compares it
   * (see `shared/policy/bindings.ts`) while `id` stays the readable `user:alice`.
   */
  sub?: string;
}

/** What a sub may look like: Cognito's are UUIDs; kept loose, but never empty and never odd characters. */
export const SUB = /^[A-Za-z0-9:._-]{1,128}$/;

export function principal(kind: PrincipalKind, name: string, groups: string[] = [], sub?: string): Principal {
  return { id: `${kind}:${name}`, kind, name, groups: [...new Set(groups)].sort(), ...(sub !== undefined ? { sub } : {}) };
}

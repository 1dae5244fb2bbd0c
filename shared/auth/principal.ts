/** Who is calling. `id` is the form policies name: `user:alice`, `service:deploy-bot`, `role:arn:...`. */
export type PrincipalKind = 'user' | 'service' | 'role';

export interface Principal {
  id: string;
  kind: PrincipalKind;
  name: string;
  groups: string[];
}

export function principal(kind: PrincipalKind, name: string, groups: string[] = []): Principal {
  return { id: `${kind}:${name}`, kind, name, groups: [...new Set(groups)].sort() };
}

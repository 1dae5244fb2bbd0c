/**
 * Who a policy is about. A principal is `<kind>:<id>`:
 * `user:<name>`, `group:<name>`, `service:<name>` (names are `[A-Za-z0-9._@+=-]+`, at most 128
 * characters) or `role:<IAM role ARN>` (`role:arn:aws:iam::123456789012:role/ci`).
 * Matching is exact and case-sensitive.
 */

export const PRINCIPAL_KINDS = ['user', 'group', 'role', 'service'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

const NAME = /^[A-Za-z0-9._@+=-]{1,128}$/;
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const GROUP_PREFIX = 'group:';

/** Why `principal` is malformed, or undefined when it is well formed. */
export function principalProblem(principal: string): string | undefined {
  const colon = principal.indexOf(':');
  const kind = colon === -1 ? '' : principal.slice(0, colon);
  const id = principal.slice(colon + 1);
  switch (kind) {
    case 'user':
    case 'group':
    case 'service':
      return NAME.test(id)
        ? undefined
        : `principal "${principal}": a ${kind} name is 1 to 128 of letters, digits and "._@+=-"`;
    case 'role':
      return ROLE_ARN.test(id)
        ? undefined
        : `principal "${principal}": expected role:arn:aws:iam::<12-digit account>:role/<name>`;
    default:
      return `principal "${principal}" must start with one of ${PRINCIPAL_KINDS.map((k) => `"${k}:"`).join(', ')}`;
  }
}

/**
 * The principal strings a request speaks for: the caller itself and `group:<name>` for each
 * of its groups (a group given as `group:<name>` is taken as is).
 */
export function requestPrincipals(principal: string, groups: readonly string[]): string[] {
  const keys = [principal];
  for (const group of groups) keys.push(group.startsWith(GROUP_PREFIX) ? group : GROUP_PREFIX + group);
  return keys;
}

import { UnauthenticatedError } from '../errors';
import { principal, SUB, type Principal } from './principal';

/**
 * What the people authorizer (`lambdas/authorizer`) returns as the `context` of an allowed simple
 * response. API Gateway hands it to the route function as `requestContext.authorizer.lambda`.
 * Every value is a string: `groups` is a JSON array, because a Cognito group name may hold a comma.
 */
export interface AuthorizerContext {
  /** `user:alice`, `service:deploy-bot`: also what access logs show (`$context.authorizer.principal`). */
  principal: string;
  kind: 'user' | 'service';
  name: string;
  /** JSON array of group names, e.g. `["admins","ops"]`. */
  groups: string;
  /**
   * The viewer's IP address as CloudFront saw it (the people API in AWS, where API Gateway's own
   * `sourceIp` is CloudFront's); absent when nothing stands in front of the API.
   */
  sourceIp?: string;
  /** Users only: the token's `sub`, the account behind the name (a re-created user has a new one). */
  sub?: string;
}

/** Kinds a bearer token can name; IAM roles come through the IAM API, never through this context. */
const TOKEN_KINDS: readonly string[] = ['user', 'service'];

/**
 * The authorizer context for a verified principal.
 *
 * @param caller - The principal the token names.
 * @example
 * authorizerContextFor(principal('user', 'alice', ['admins']));
 * // { principal: 'user:alice', kind: 'user', name: 'alice', groups: '["admins"]', sub: '…' }
 */
export function authorizerContextFor(caller: Principal): AuthorizerContext {
  if (!TOKEN_KINDS.includes(caller.kind)) throw new Error(`a bearer token cannot name a ${caller.kind} principal`);
  if (caller.kind === 'user' && caller.sub === undefined) throw new Error('a user principal needs its sub');
  return {
    principal: caller.id,
    kind: caller.kind as AuthorizerContext['kind'],
    name: caller.name,
    groups: JSON.stringify(caller.groups),
    ...(caller.kind === 'user' ? { sub: caller.sub } : {}),
  };
}

/**
 * Reads the principal back from `requestContext.authorizer.lambda`. Only API Gateway can put it
 * there, but it is still checked field by field: anything unexpected is a 401, never a guess.
 *
 * @param context - The `lambda` object of the event's authorizer.
 * @throws UnauthenticatedError when the context is not one the people authorizer writes.
 * @example
 * principalFromAuthorizerContext({ principal: 'user:alice', kind: 'user', name: 'alice', groups: '[]', sub: '8f0c…' });
 */
export function principalFromAuthorizerContext(context: unknown): Principal {
  const malformed = (what: string) => new UnauthenticatedError(`the authorizer context is not usable: ${what}`);
  if (typeof context !== 'object' || context === null) throw malformed('not an object');
  const { principal: id, kind, name, groups, sub } = context as Record<string, unknown>;
  if (typeof kind !== 'string' || !TOKEN_KINDS.includes(kind)) throw malformed('unknown principal kind');
  if (typeof name !== 'string' || name.length === 0) throw malformed('no principal name');
  // A user without its sub could only be matched by name, which a re-created account shares.
  if (kind === 'user' && (typeof sub !== 'string' || !SUB.test(sub))) throw malformed('a user principal without a usable sub');
  if (kind !== 'user' && sub !== undefined) throw malformed('only a user principal carries a sub');
  const caller = principal(kind as AuthorizerContext['kind'], name, parseGroups(groups, malformed), kind === 'user' ? (sub as string) : undefined);
  if (id !== caller.id) throw malformed('the principal id does not match its kind and name');
  return caller;
}

function parseGroups(groups: unknown, malformed: (what: string) => Error): string[] {
  if (typeof groups !== 'string') throw malformed('groups missing');
  let parsed: unknown;
  try {
    parsed = JSON.parse(groups);
  } catch {
    throw malformed('groups are not a JSON array');
  }
  if (!Array.isArray(parsed) || !parsed.every((g): g is string => typeof g === 'string' && g.length > 0)) {
    throw malformed('groups are not a JSON array of names');
  }
  return parsed;
}

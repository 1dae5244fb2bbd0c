import { UnauthenticatedError } from '../errors';
import { principalFromAuthorizerContext } from './authorizerContext';
import { principalFromIamCaller, type IamCaller } from './iamPrincipal';
import type { Principal } from './principal';

/** The part of an API Gateway (payload 2.0) event this reads; the rest of the event is never consulted. */
export interface AuthorizedEvent {
  requestContext?: unknown;
}

/**
 * The caller of a route, as API Gateway's authorizer established it:
 * - `requestContext.authorizer.lambda`: the people authorizer verified a bearer token (JWT API);
 * - `requestContext.authorizer.iam`: API Gateway verified a SigV4 signature (IAM API).
 *
 * Headers are never read: a client can send any header, but only API Gateway writes the request
 * context. Without exactly one of the two, the request fails closed with 401 (a route deployed
 * without an authorizer, say).
 *
 * @param event - The function's event.
 * @throws UnauthenticatedError when no authorizer vouched for the caller, or its output is unusable.
 * @throws ForbiddenError when an IAM caller is not a role (see principalFromIamCaller).
 * @example
 * const caller = principalFromEvent({ requestContext: { authorizer: { lambda: { principal: 'user:alice', kind: 'user', name: 'alice', groups: '[]' } } } });
 */
export function principalFromEvent(event: AuthorizedEvent): Principal {
  const authorizer = field(event.requestContext, 'authorizer');
  const lambda = field(authorizer, 'lambda');
  const iam = field(authorizer, 'iam');
  if (lambda !== undefined && iam !== undefined) throw new UnauthenticatedError('the request carries two authorizer results; refusing to choose');
  if (lambda !== undefined) return principalFromAuthorizerContext(lambda);
  if (iam !== undefined) {
    if (typeof iam !== 'object') throw new UnauthenticatedError('the IAM authorizer result is not usable');
    return principalFromIamCaller(iam as IamCaller);
  }
  throw new UnauthenticatedError('no authorizer vouched for this request (send "Authorization: Bearer <token>", or sign it with SigV4 on the IAM API)');
}

function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[name];
  return found === null ? undefined : found;
}

import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { vaultMetrics } from '../observability/metrics';
import { authorizerContextFor, type AuthorizerContext } from './authorizerContext';
import type { TokenAuthorizer } from './TokenAuthorizer';

/**
 * The `context` of a denial. API Gateway drops it (the caller gets its own 403 `{"message":"Forbidden"}`);
 * the local runner shows `reason` in its 403, so a developer learns why a token was refused.
 */
export interface DenialContext {
  reason: string;
}

/** A simple response (HTTP API Lambda authorizer, payload format 2.0, `enableSimpleResponses`). */
export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext | DenialContext>;

export type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEventV2) => Promise<AuthorizerResult>;

/**
 * An HTTP API Lambda authorizer (payload format 2.0, simple responses) around a token authorizer.
 * A refused token is an answer (`isAuthorized: false`, which API Gateway turns into 403), never an
 * exception: an exception means the vault could not check the token, and API Gateway answers 500.
 * The token authorizer is built on first use and reused while the function is warm.
 *
 * @param build - Creates the token authorizer (reads the configuration).
 * @example
 * export const handler = lambdaAuthorizer(() => tokenAuthorizerFromConfig(loadAuthorizerConfig()));
 */
export function lambdaAuthorizer(build: () => TokenAuthorizer): AuthorizerHandler {
  let authorizer: TokenAuthorizer | undefined;
  return async (event) => {
    authorizer ??= build();
    const decision = await authorizer
      .decide({
        authorization: headerOf(event, 'authorization'),
        requestId: event.requestContext?.requestId ?? 'unknown',
        routeKey: event.routeKey ?? 'unknown',
        sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
        userAgent: headerOf(event, 'user-agent') ?? '',
      })
      .finally(vaultMetrics.publish); // a rejection's denial and audit-write metrics
    return decision.allowed
      ? { isAuthorized: true, context: authorizerContextFor(decision.principal) }
      : { isAuthorized: false, context: { reason: decision.reason } };
  };
}

/** Payload 2.0 lower-cases header names; matched without case anyway. */
function headerOf(event: APIGatewayRequestAuthorizerEventV2, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

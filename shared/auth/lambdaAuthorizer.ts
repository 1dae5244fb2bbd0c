import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { vaultMetrics } from '../observability/metrics';
import { authorizerContextFor, type AuthorizerContext } from './authorizerContext';
import { ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER, type OriginGate } from './originGate';
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

/** What the handler is made of: the origin gate in front, then the token check. */
export interface AuthorizerParts {
  origin: OriginGate;
  tokens: TokenAuthorizer;
}

/** The reason a request that went around CloudFront is refused with (the local runner shows it; API Gateway drops it). */
export const NOT_THROUGH_CLOUDFRONT = 'the request did not come through the vault\'s CloudFront distribution';

/**
 * An HTTP API Lambda authorizer (payload format 2.0, simple responses) around a token authorizer.
 * A refused token is an answer (`isAuthorized: false`, which API Gateway turns into 403), never an
 * exception: an exception means the vault could not check the token, and API Gateway answers 500.
 * The parts are built on first use and reused while the function is warm.
 *
 * The origin gate comes first: a request that did not come through CloudFront (and its web ACL) is
 * refused before its token is read, and leaves no audit event, so hitting the execute-api URL
 * directly can neither skip the per-IP rate limit nor fill the audit archive.
 *
 * @param build - Creates the origin gate and the token authorizer (reads the configuration).
 * @example
 * export const handler = lambdaAuthorizer(() => {
 *   const config = loadAuthorizerConfig();
 *   return { origin: originGateFromConfig(config), tokens: tokenAuthorizerFromConfig(config) };
 * });
 */
export function lambdaAuthorizer(build: () => AuthorizerParts): AuthorizerHandler {
  let parts: AuthorizerParts | undefined;
  return async (event) => {
    parts ??= build();
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const routeKey = event.routeKey ?? 'unknown';
    const peerIp = event.requestContext?.http?.sourceIp ?? 'unknown';
    const admitted = await parts.origin.admits(headerOf(event, ORIGIN_VERIFY_HEADER), { requestId, routeKey, sourceIp: peerIp }).finally(vaultMetrics.publish);
    if (!admitted) return { isAuthorized: false, context: { reason: NOT_THROUGH_CLOUDFRONT } };
    // Only CloudFront can have sent the origin header, and its function overwrites the viewer IP header.
    const viewerIp = parts.origin.behindCloudFront ? headerOf(event, VIEWER_IP_HEADER) : undefined;
    const sourceIp = viewerIp ?? peerIp;
    const decision = await parts.tokens
      .decide({
        authorization: headerOf(event, 'authorization'),
        requestId,
        routeKey,
        sourceIp,
        userAgent: headerOf(event, 'user-agent') ?? '',
      })
      .finally(vaultMetrics.publish); // a rejection's denial and audit-write metrics
    return decision.allowed
      ? { isAuthorized: true, context: { ...authorizerContextFor(decision.principal), ...(viewerIp !== undefined && { sourceIp: viewerIp }) } }
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

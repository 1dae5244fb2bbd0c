/**
 * What API Gateway (HTTP API, Lambda authorizer, payload format 2.0, simple responses) sends the
 * authorizer, and what it makes of the answer. Pure functions, tested on their own.
 *
 * Reference: "Control access to HTTP APIs with AWS Lambda authorizers", AWS API Gateway developer
 * guide (payload format 2.0, the simple response, identity sources).
 */
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_LAMBDA_REGION, MalformedResponseError } from './apiEvent';

/** What the route function receives in `requestContext.authorizer.lambda`: strings, numbers, booleans. */
export type AuthorizerContextValues = Record<string, string | number | boolean>;

/** Let in (with the context for the route function), or refused (with the reason, when the authorizer gave one). */
export type AuthorizerOutcome = { allowed: true; context: AuthorizerContextValues } | { allowed: false; reason?: string };

/**
 * The authorizer's event for a request, or undefined when the identity source (the `Authorization`
 * header) is missing or empty: API Gateway then answers 401 without calling the authorizer.
 *
 * Like API Gateway: `type` REQUEST, `identitySource` holding the header's value, a `routeArn`
 * (`arn:aws:execute-api:<region>:<account>:<api>/<stage>/<method>/<path>`), and the request's
 * headers, cookies, query string, path parameters and request context, without the body.
 *
 * @param event - The route's event, as `buildApiEvent` made it.
 * @example
 * const authorizerEvent = buildAuthorizerEvent(buildApiEvent(request, match));
 */
export function buildAuthorizerEvent(event: APIGatewayProxyEventV2): APIGatewayRequestAuthorizerEventV2 | undefined {
  const authorization = event.headers.authorization;
  if (authorization === undefined || authorization.trim() === '') return undefined;
  const { requestContext } = event;
  const path = requestContext.http.path.replace(/^\//, '');
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${LOCAL_LAMBDA_REGION}:${LOCAL_ACCOUNT_ID}:${requestContext.apiId}/${requestContext.stage}/${requestContext.http.method}/${path}`,
    identitySource: [authorization],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    cookies: event.cookies ?? [],
    headers: { ...event.headers },
    ...(event.queryStringParameters ? { queryStringParameters: { ...event.queryStringParameters } } : {}),
    requestContext: { ...requestContext, http: { ...requestContext.http } },
    ...(event.pathParameters ? { pathParameters: { ...event.pathParameters } } : {}),
  };
}

/**
 * Reads a simple response. `isAuthorized` must be a boolean; the context of an allowed request
 * goes to the route function and must hold only strings, numbers and booleans. A denial's
 * context is dropped by API Gateway; its `reason`, when a string, is kept for the local 403.
 *
 * @param result - What the authorizer resolved to.
 * @throws MalformedResponseError for anything else (API Gateway answers 500).
 * @example
 * authorizerOutcome({ isAuthorized: true, context: { principal: 'user:alice' } });
 */
export function authorizerOutcome(result: unknown): AuthorizerOutcome {
  if (!isRecord(result) || typeof result.isAuthorized !== 'boolean') {
    throw new MalformedResponseError('the authorizer must return { isAuthorized: boolean, context?: {...} } (a simple response)');
  }
  const context = result.context ?? {};
  if (!isRecord(context)) throw new MalformedResponseError('the authorizer context must be an object');
  if (!result.isAuthorized) return { allowed: false, reason: typeof context.reason === 'string' ? context.reason : undefined };
  const values: AuthorizerContextValues = {};
  for (const [name, value] of Object.entries(context)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new MalformedResponseError(`the authorizer context value ${name} must be a string, number or boolean`);
    }
    values[name] = value;
  }
  return { allowed: true, context: values };
}

/**
 * The route's event with the authorizer's context where API Gateway puts it:
 * `requestContext.authorizer.lambda`.
 *
 * @param event - The route's event.
 * @param context - The allowed authorizer's context.
 */
export function withAuthorizerContext(event: APIGatewayProxyEventV2, context: AuthorizerContextValues): APIGatewayProxyEventV2 {
  const requestContext = { ...event.requestContext, authorizer: { lambda: { ...context } } };
  return { ...event, requestContext };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

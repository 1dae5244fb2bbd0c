/**
 * The Lambda authorizer step of API Gateway, for the local router: before a route with
 * `auth: 'required'` runs, the people authorizer (`lambdas/authorizer/handler.ts`, the function
 * CDK deploys) is invoked with a payload 2.0 authorizer event, and its simple response decides.
 *
 * Statuses are API Gateway's: 401 when the `Authorization` header is missing (the authorizer is
 * not called), 403 when it says `isAuthorized: false`, 500 when it throws, times out or answers
 * something malformed. Bodies are the vault's `{"error":{"code","message"}}` so clients and tests
 * read one shape; API Gateway's own are `{"message":"Unauthorized"}`, `{"message":"Forbidden"}`
 * and `{"message":"Internal Server Error"}`. A refused token is code `Unauthenticated` with the
 * authorizer's reason (a policy refusal from a route is code `Forbidden`).
 */
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { AUTHORIZER_FUNCTION } from '../shared/api/functions';
import { errorResponse, type LocalResponse } from './apiEvent';
import { authorizerOutcome, buildAuthorizerEvent, withAuthorizerContext, type AuthorizerOutcome } from './authorizerEvent';
import { createLambdaHost, HandlerLoadError, importHandler } from './lambdaHost';

/** A Lambda authorizer for HTTP API events, as `lambdas/authorizer/handler.ts` exports it. */
export type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEventV2, context: Context) => Promise<unknown>;

/** The request goes on with the authorizer's context in its event, or is answered here. */
export type GateResult = { event: APIGatewayProxyEventV2 } | { response: LocalResponse };

export interface AuthorizerGateOptions {
  /** Where the authorizer comes from. @default importAuthorizer */
  load?: () => Promise<AuthorizerHandler>;
  /** Where failures are reported. @default no logging */
  log?: (line: string) => void;
  /** Answer 500 when the authorizer runs past its timeout, like Lambda. @default true */
  enforceTimeout?: boolean;
}

/** Imports `lambdas/authorizer/handler.ts` and returns its `handler` export. */
export function importAuthorizer(): Promise<AuthorizerHandler> {
  return importHandler<AuthorizerHandler>(AUTHORIZER_FUNCTION.name);
}

/**
 * Creates the gate. The authorizer is imported on first use (a failed import is retried next time).
 *
 * @param options - Loader, logging and timeout.
 * @example
 * const gate = createAuthorizerGate({ log: console.log });
 * const passed = await gate(event);
 * if ('response' in passed) return passed.response;
 */
export function createAuthorizerGate(options: AuthorizerGateOptions = {}): (event: APIGatewayProxyEventV2) => Promise<GateResult> {
  const load = options.load ?? importAuthorizer;
  const log = options.log ?? (() => undefined);
  const host = createLambdaHost<AuthorizerHandler>({ load: () => load(), enforceTimeouts: options.enforceTimeout });

  return async (event) => {
    const authorizerEvent = buildAuthorizerEvent(event);
    if (!authorizerEvent) {
      return { response: errorResponse(401, 'Unauthenticated', 'missing Authorization header (expected "Bearer <token>")') };
    }
    let outcome: AuthorizerOutcome;
    try {
      outcome = authorizerOutcome(await host.invoke(AUTHORIZER_FUNCTION, authorizerEvent));
    } catch (error) {
      const cause = error instanceof HandlerLoadError ? error.cause : error;
      log(`the authorizer failed: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
      return { response: errorResponse(500, 'InternalError', 'the authorizer failed (see the runner\'s log)') };
    }
    if (!outcome.allowed) {
      return { response: errorResponse(403, 'Unauthenticated', outcome.reason ?? 'the authorizer refused the request') };
    }
    return { event: withAuthorizerContext(event, outcome.context) };
  };
}

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
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { FUNCTION_DEFAULTS } from '../shared/api/route';
import { buildLambdaContext, errorResponse, type LocalResponse } from './apiEvent';
import { authorizerOutcome, buildAuthorizerEvent, withAuthorizerContext, type AuthorizerOutcome } from './authorizerEvent';

/** The folder of the people authorizer under `lambdas/`; its function is `otpvault-authorizer`. */
export const AUTHORIZER_FUNCTION = 'authorizer';
/** The authorizer function's timeout (the CDK default for vault functions). */
const TIMEOUT_SECONDS = FUNCTION_DEFAULTS.timeoutSeconds;

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

/**
 * Imports `lambdas/authorizer/handler.ts` and returns its `handler` export.
 */
export async function importAuthorizer(): Promise<AuthorizerHandler> {
  const file = fileURLToPath(new URL(`../lambdas/${AUTHORIZER_FUNCTION}/handler.ts`, import.meta.url));
  const module: unknown = await import(pathToFileURL(file).href);
  const handler = typeof module === 'object' && module !== null ? (module as { handler?: unknown }).handler : undefined;
  if (typeof handler !== 'function') throw new Error(`lambdas/${AUTHORIZER_FUNCTION}/handler.ts does not export a function named handler`);
  return handler as AuthorizerHandler;
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
  let loading: Promise<AuthorizerHandler> | undefined;

  const invoke = async (authorizerEvent: APIGatewayRequestAuthorizerEventV2): Promise<unknown> => {
    if (!loading) {
      loading = load();
      loading.catch(() => {
        loading = undefined;
      });
    }
    const authorizer = await loading;
    const context = buildLambdaContext({ op: AUTHORIZER_FUNCTION, timeoutSeconds: TIMEOUT_SECONDS });
    if (options.enforceTimeout === false) return authorizer(authorizerEvent, context);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within its ${TIMEOUT_SECONDS} s timeout`)), TIMEOUT_SECONDS * 1000);
    });
    try {
      return await Promise.race([authorizer(authorizerEvent, context), expired]);
    } finally {
      clearTimeout(timer);
    }
  };

  return async (event) => {
    const authorizerEvent = buildAuthorizerEvent(event);
    if (!authorizerEvent) {
      return { response: errorResponse(401, 'Unauthenticated', 'missing Authorization header (expected "Bearer <token>")') };
    }
    let outcome: AuthorizerOutcome;
    try {
      outcome = authorizerOutcome(await invoke(authorizerEvent));
    } catch (error) {
      log(`the authorizer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { response: errorResponse(500, 'InternalError', 'the authorizer failed (see the runner\'s log)') };
    }
    if (!outcome.allowed) {
      return { response: errorResponse(403, 'Unauthenticated', outcome.reason ?? 'the authorizer refused the request') };
    }
    return { event: withAuthorizerContext(event, outcome.context) };
  };
}

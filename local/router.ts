/**
 * Routes requests to the Lambda handlers of the route table, the way API Gateway does: the route
 * table is the same one the CDK stack deploys, and each handler is the module CDK bundles
 * (`lambdas/<op>/handler.ts`), imported on first use.
 */
import inspector from 'node:inspector';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpMethod, RouteDefinition } from '../shared/api/route';
import {
  buildApiEvent,
  errorResponse,
  LIMITS,
  splitTarget,
  toLocalResponse,
  type IncomingApiRequest,
  type LocalResponse,
} from './apiEvent';
import { createAuthorizerGate, type AuthorizerHandler } from './authorizerGate';
import { createLambdaHost, HandlerLoadError, HandlerMissingError, HandlerTimeoutError, importHandler } from './lambdaHost';

/** The parts of a route definition the router needs (`auth: 'required'` routes pass the authorizer first, when there is one). */
export type LocalRoute = Pick<RouteDefinition, 'op' | 'method' | 'path'> & Partial<Pick<RouteDefinition, 'auth' | 'timeoutSeconds' | 'memoryMb'>>;

/** A Lambda handler for HTTP API events, as `lambdas/<op>/handler.ts` exports it. */
export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** Finds the handler of an operation. */
export type HandlerLoader = (op: string) => Promise<LambdaHandler>;

/** Result of matching a method and path against the route table. */
export type RouteMatch =
  | { kind: 'found'; route: LocalRoute; routeKey: string; pathParameters: Record<string, string> }
  | { kind: 'methodNotAllowed'; allowed: HttpMethod[] }
  | { kind: 'notFound' }
  | { kind: 'badPath'; message: string };

interface CompiledRoute {
  route: LocalRoute;
  segments: ({ literal: string } | { parameter: string })[];
}

/**
 * Compiles path templates once and matches requests against them. A `{name}` matches one
 * non-empty segment, percent-decoded; a literal segment beats a parameter where both match.
 *
 * @param routes - The route table.
 * @example
 * const match = createRouteMatcher(routes)('POST', '/v1/secrets/s-1/otp');
 */
export function createRouteMatcher(routes: readonly LocalRoute[]): (method: string, rawPath: string) => RouteMatch {
  const compiled = routes.map(compile);
  return (method, rawPath) => {
    if (!rawPath.startsWith('/')) return { kind: 'notFound' };
    const segments = rawPath.split('/').slice(1);
    const candidates = compiled.filter((candidate) => fits(candidate, segments));
    if (candidates.length === 0) return { kind: 'notFound' };
    const forMethod = candidates.filter((candidate) => candidate.route.method === method).sort(bySpecificity);
    const best = forMethod[0];
    if (!best) return { kind: 'methodNotAllowed', allowed: [...new Set(candidates.map((c) => c.route.method))].sort() };
    const pathParameters: Record<string, string> = {};
    for (const [index, segment] of best.segments.entries()) {
      if (!('parameter' in segment)) continue;
      try {
        pathParameters[segment.parameter] = decodeURIComponent(segments[index] as string);
      } catch {
        return { kind: 'badPath', message: `the path segment "${segments[index]}" is not valid percent-encoding` };
      }
    }
    return { kind: 'found', route: best.route, routeKey: `${best.route.method} ${best.route.path}`, pathParameters };
  };
}

function compile(route: LocalRoute): CompiledRoute {
  if (!route.path.startsWith('/')) throw new Error(`route ${route.op}: path must start with "/": ${route.path}`);
  const segments = route.path
    .split('/')
    .slice(1)
    .map((segment) => {
      const parameter = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
      if (parameter) return { parameter: parameter[1] as string };
      if (/[{}]/.test(segment)) throw new Error(`route ${route.op}: unsupported path segment "${segment}" in ${route.path}`);
      return { literal: segment };
    });
  return { route, segments };
}

function fits(candidate: CompiledRoute, segments: string[]): boolean {
  return (
    candidate.segments.length === segments.length &&
    candidate.segments.every((segment, index) =>
      'literal' in segment ? segment.literal === segments[index] : (segments[index] as string).length > 0,
    )
  );
}

/** The route with a literal at the first position where the two differ comes first. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < a.segments.length; i++) {
    const aLiteral = 'literal' in (a.segments[i] as object);
    const bLiteral = 'literal' in (b.segments[i] as object);
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  return 0;
}

export interface RouterOptions {
  /** The route table; the local stack passes `routes` from `shared/api/routes/index.ts`. */
  routes: readonly LocalRoute[];
  /** Where handlers come from. @default importHandler (`local/lambdaHost.ts`) */
  loadHandler?: HandlerLoader;
  /** One line per request and the stack of a handler that threw. @default no logging */
  log?: (line: string) => void;
  /**
   * Answer 500 when a handler runs past its route's timeout, like Lambda. Off while a debugger
   * is attached, so a breakpoint does not fail the request.
   * @default true unless the inspector is active (`--inspect`, also through NODE_OPTIONS)
   */
  enforceTimeouts?: boolean;
  /**
   * The Lambda authorizer run before every `auth: 'required'` route, like API Gateway's (see
   * `authorizerGate.ts`); the local stack passes `importAuthorizer`. @default no authorizer
   */
  loadAuthorizer?: () => Promise<AuthorizerHandler>;
}

export interface Router {
  /**
   * Answers one request: 404 for an unknown path, 405 (with `allow`) for a known path and another
   * method, 413 above API Gateway's 10 MB, otherwise whatever the handler answers (500 if it
   * throws, times out or returns a malformed response; 501 if its file does not exist yet).
   */
  handle(request: IncomingApiRequest): Promise<LocalResponse>;
}

/**
 * Creates the router for a route table.
 *
 * @param options - Routes, handler loader and logging.
 * @example
 * const router = createRouter({ routes });
 * const response = await router.handle(request);
 */
export function createRouter(options: RouterOptions): Router {
  const match = createRouteMatcher(options.routes);
  const log = options.log ?? (() => undefined);
  const enforceTimeouts = options.enforceTimeouts ?? inspector.url() === undefined;
  const host = createLambdaHost<LambdaHandler>({ load: options.loadHandler ?? importHandler, enforceTimeouts });
  const authorize = options.loadAuthorizer ? createAuthorizerGate({ load: options.loadAuthorizer, log, enforceTimeout: enforceTimeouts }) : undefined;

  const answer = async (request: IncomingApiRequest): Promise<{ response: LocalResponse; op?: string }> => {
    const { rawPath } = splitTarget(request.target);
    const found = match(request.method, rawPath);
    if (found.kind === 'notFound') {
      return { response: errorResponse(404, 'NotFound', `no route for ${request.method} ${rawPath}`) };
    }
    if (found.kind === 'badPath') return { response: errorResponse(400, 'BadRequest', found.message) };
    if (found.kind === 'methodNotAllowed') {
      const allowed = found.allowed.join(', ');
      return {
        response: errorResponse(405, 'MethodNotAllowed', `${request.method} is not allowed on ${rawPath}; allowed: ${allowed}`, [
          ['allow', allowed],
        ]),
      };
    }
    const { route } = found;
    if (request.body.length > LIMITS.requestBodyBytes) {
      return {
        op: route.op,
        response: errorResponse(413, 'PayloadTooLarge', `the request body is larger than API Gateway accepts (${LIMITS.requestBodyBytes} bytes)`),
      };
    }
    const event = buildApiEvent(request, found);
    const eventBytes = Buffer.byteLength(JSON.stringify(event));
    if (eventBytes > LIMITS.eventBytes) {
      return {
        op: route.op,
        response: errorResponse(
          413,
          'PayloadTooLarge',
          `the request makes a ${eventBytes}-byte Lambda event; Lambda accepts at most ${LIMITS.eventBytes} (a non-text body is base64-encoded)`,
        ),
      };
    }

    let routeEvent = event;
    if (authorize && route.auth === 'required') {
      const passed = await authorize(event);
      if ('response' in passed) return { op: route.op, response: passed.response };
      routeEvent = passed.event;
    }

    try {
      const result = await host.invoke({ name: route.op, timeoutSeconds: route.timeoutSeconds, memoryMb: route.memoryMb }, routeEvent);
      return { op: route.op, response: toLocalResponse(result) };
    } catch (error) {
      return { op: route.op, response: failure(route.op, error, log) };
    }
  };

  return {
    handle: async (request) => {
      const started = performance.now();
      const { response, op } = await answer(request);
      const ms = Math.round(performance.now() - started);
      log(`${request.method} ${splitTarget(request.target).rawPath} -> ${response.statusCode} ${ms} ms${op ? ` (${op})` : ''}`);
      return response;
    },
  };
}

/** The answer when a handler could not run to its end: 501 for one not written yet, else 500 (the cause logged). */
function failure(op: string, error: unknown, log: (line: string) => void): LocalResponse {
  if (error instanceof HandlerMissingError) return errorResponse(501, 'NotImplemented', error.message);
  if (error instanceof HandlerLoadError) {
    log(`could not load the handler of ${op}: ${describe(error.cause)}`);
    return errorResponse(500, 'InternalError', `the handler of ${op} could not be loaded (see the runner's log)`);
  }
  if (error instanceof HandlerTimeoutError) {
    log(`${op} ${error.message}`);
    return errorResponse(500, 'InternalError', `the handler of ${op} ${error.message}`);
  }
  log(`the handler of ${op} failed: ${describe(error)}`);
  return errorResponse(500, 'InternalError', `the handler of ${op} failed (see the runner's log)`);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

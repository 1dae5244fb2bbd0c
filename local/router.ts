/**
 * Routes requests to the Lambda handlers of the route table, the way API Gateway does: the route
 * table is the same one the CDK stack deploys, and each handler is the module CDK bundles
 * (`lambdas/<op>/handler.ts`), imported on first use.
 */
import { existsSync } from 'node:fs';
import inspector from 'node:inspector';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpMethod, RouteDefinition } from '../shared/api/route';
import {
  buildApiEvent,
  buildLambdaContext,
  errorResponse,
  LIMITS,
  splitTarget,
  toLocalResponse,
  type IncomingApiRequest,
  type LocalResponse,
} from './apiEvent';
import { createAuthorizerGate, type AuthorizerHandler, type GateResult } from './authorizerGate';

/** The parts of a route definition the router needs (`auth: 'required'` routes pass the authorizer first, when there is one). */
export type LocalRoute = Pick<RouteDefinition, 'op' | 'method' | 'path' | 'timeoutSeconds' | 'memoryMb'> & Partial<Pick<RouteDefinition, 'auth'>>;

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

/** `lambdas/<op>/handler.ts` does not exist (yet). */
export class HandlerMissingError extends Error {
  constructor(
    readonly op: string,
    readonly file: string,
  ) {
    super(`lambdas/${op}/handler.ts does not exist yet`);
    this.name = 'HandlerMissingError';
  }
}

const LAMBDAS_DIR = new URL('../lambdas/', import.meta.url);
const OPERATION = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Imports `lambdas/<op>/handler.ts` and returns its `handler` export.
 *
 * @param op - Operation name from the route table.
 * @throws HandlerMissingError when the file does not exist.
 */
export async function importHandler(op: string): Promise<LambdaHandler> {
  if (!OPERATION.test(op)) throw new Error(`not an operation name: ${op}`);
  const file = fileURLToPath(new URL(`${op}/handler.ts`, LAMBDAS_DIR));
  if (!existsSync(file)) throw new HandlerMissingError(op, file);
  // A file URL, not a path: an absolute Windows path is not a valid import specifier.
  const module: unknown = await import(pathToFileURL(file).href);
  const handler = typeof module === 'object' && module !== null ? (module as { handler?: unknown }).handler : undefined;
  if (typeof handler !== 'function') throw new Error(`lambdas/${op}/handler.ts does not export a function named handler`);
  return handler as LambdaHandler;
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
  /** The route table; the local stack passes `routes` from `shared/api/routes.ts`. */
  routes: readonly LocalRoute[];
  /** Where handlers come from. @default importHandler */
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
  /** Instead of `loadAuthorizer`: checks each `auth: 'required'` request itself (the IAM API's SigV4, see `iam/iamGate.ts`). */
  authenticate?: (event: APIGatewayProxyEventV2, request: IncomingApiRequest) => Promise<GateResult>;
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
  const loadHandler = options.loadHandler ?? importHandler;
  const log = options.log ?? (() => undefined);
  const enforceTimeouts = options.enforceTimeouts ?? inspector.url() === undefined;
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const authorize =
    options.authenticate ?? (options.loadAuthorizer ? createAuthorizerGate({ load: options.loadAuthorizer, log, enforceTimeout: enforceTimeouts }) : undefined);

  const handlerFor = (op: string): Promise<LambdaHandler> => {
    let loading = handlers.get(op);
    if (!loading) {
      loading = loadHandler(op);
      handlers.set(op, loading);
      // A failed import is retried on the next request (the file may appear or be fixed).
      loading.catch(() => handlers.delete(op));
    }
    return loading;
  };

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
      const passed = await authorize(event, request);
      if ('response' in passed) return { op: route.op, response: passed.response };
      routeEvent = passed.event;
    }

    let handler: LambdaHandler;
    try {
      handler = await handlerFor(route.op);
    } catch (error) {
      if (error instanceof HandlerMissingError) {
        return { op: route.op, response: errorResponse(501, 'NotImplemented', error.message) };
      }
      log(`could not load the handler of ${route.op}: ${describe(error)}`);
      return { op: route.op, response: errorResponse(500, 'InternalError', `the handler of ${route.op} could not be loaded (see the runner's log)`) };
    }

    const timeoutSeconds = route.timeoutSeconds ?? 10;
    const context = buildLambdaContext({ op: route.op, timeoutSeconds, memoryMb: route.memoryMb });
    try {
      const result = await withTimeout(handler(routeEvent, context), enforceTimeouts ? timeoutSeconds * 1000 : undefined);
      if (result === TIMED_OUT) {
        log(`${route.op} did not finish within its ${timeoutSeconds} s timeout`);
        return {
          op: route.op,
          response: errorResponse(500, 'InternalError', `the handler of ${route.op} did not finish within its ${timeoutSeconds} s timeout`),
        };
      }
      return { op: route.op, response: toLocalResponse(result) };
    } catch (error) {
      log(`the handler of ${route.op} failed: ${describe(error)}`);
      return { op: route.op, response: errorResponse(500, 'InternalError', `the handler of ${route.op} failed (see the runner's log)`) };
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

const TIMED_OUT = Symbol('timed out');

async function withTimeout<T>(work: Promise<T>, timeoutMs: number | undefined): Promise<T | typeof TIMED_OUT> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

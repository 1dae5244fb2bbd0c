import middy from '@middy/core';
import { publishMetrics } from '../observability/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
// The class, not the folder's index: the index would bring the simulation schema into every bundle.
import { readSecretOf, RequestAccess } from '../access/RequestAccess';
import { RequestAudit } from '../audit/RequestAudit';
import { principalFromEvent } from '../auth/principalFromEvent';
import { sourceIpOf } from '../auth/sourceIp';
import { describeError, type Logger } from '../log/logger';
import type { SecretRecord } from '../secrets/model';
import { getDeps, type Deps } from './deps';
import { header, rawInput, validate } from './httpInput';
import { readAheadOf, type ReadAhead } from './readAhead';
import { errorOutcome, errorResponse, jsonResponse, RawBody, rawResponse } from './httpResponse';
import type { RouteDefinition } from './route';

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** What a handler receives: validated input, the caller, the audit record, and the secret its row authorized on. */
export type OperationArgs<R extends RouteDefinition> = {
  input: z.output<R['input']>;
  deps: Deps;
  /** The caller and its rules for this request (already allowed what the row declares). */
  caller: RequestAccess;
  audit: RequestAudit;
} & (R['authorize'] extends { on: 'secret' } ? { secret: SecretRecord; readAhead: ReadAhead } : unknown);

/** Per-request state shared by the middlewares, keyed by the Lambda context of the invocation. */
interface RequestState {
  deps: Deps;
  route: RouteDefinition;
  audit: RequestAudit;
  log: Logger;
  startedAt: number;
  caller?: RequestAccess;
  input?: unknown;
  secret?: SecretRecord;
  /** What the row reads with its decision; set only once the request is allowed. */
  readAhead?: ReadAhead;
}
const states = new WeakMap<Context, RequestState>();

function state(context: Context): RequestState {
  const found = states.get(context);
  if (!found) throw new Error('request state missing: the operation middleware did not run');
  return found;
}

/** True for the first request this container serves (what Powertools Logger calls `cold_start`). */
let coldStart = true;
function takeColdStart(): boolean {
  const first = coldStart;
  coldStart = false;
  return first;
}

/** The X-Ray trace of this invocation (Lambda sets it per request), so a log line joins its trace. */
function traceFields(): { xrayTraceId?: string } {
  const root = /Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];
  return root ? { xrayTraceId: root } : {};
}

/** Creates the request's audit record and logger; turns results and errors into HTTP answers. */
function vaultRequest(route: RouteDefinition): middy.MiddlewareObj<Event, Result> {
  return {
    before: ({ event, context }) => {
      const deps = getDeps();
      const requestId = event.requestContext?.requestId ?? context.awsRequestId;
      const audit = new RequestAudit(
        deps.outbox,
        {
          requestId,
          operation: route.op,
          action: route.action,
          sourceIp: sourceIpOf(event) ?? 'unknown',
          userAgent: (header(event, 'user-agent') ?? '').slice(0, 512),
        },
        () => deps.clock.now(),
      );
      const log = deps.log.child({ requestId, operation: route.op, coldStart: takeColdStart(), ...traceFields() });
      states.set(context, { deps, route, audit, log, startedAt: Date.now() });
    },
    after: async (request) => {
      const s = state(request.context);
      if (route.auth === 'required' && !s.caller?.authorized) {
        // Structural default deny: a handler that never asked the authorizer gets no answer out.
        throw new Error(`operation ${route.op} returned without an authorization decision`);
      }
      // Reads are audited before the answer leaves too: no audit, no answer.
      if (route.auth === 'required') await s.audit.finish('allowed', route.successStatus, 'ok');
      const { requestId } = s.audit.request;
      request.response =
        request.response instanceof RawBody
          ? rawResponse(route.successStatus, request.response, requestId)
          : jsonResponse(route.successStatus, request.response, requestId);
      accessLog(s, route.successStatus);
    },
    onError: async (request) => {
      const s = states.get(request.context);
      const requestId = s?.audit.request.requestId ?? request.context.awsRequestId;
      let outcome = errorOutcome(request.error, requestId);
      if (s) {
        if (outcome.status >= 500) s.log.error('request failed', describeError(request.error));
        // Public routes read and return nothing sensitive and are reachable without any credential
        // (even at an API's execute-api URL, past WAF): auditing their bad requests would let anyone
        // write events into the locked archive. Their successes are not audited either; the access log keeps both.
        if (route.auth !== 'none') {
          const result = outcome.status === 401 || outcome.status === 403 ? 'denied' : 'error';
          try {
            await s.audit.finish(result, outcome.status, outcome.message);
          } catch (auditError) {
            // An event that cannot be written fails the request (503): a refusal never goes unrecorded quietly.
            s.log.error('audit write failed for an error response', describeError(auditError));
            outcome = errorOutcome(auditError, requestId);
          }
        }
        accessLog(s, outcome.status, outcome.code);
      }
      request.response = errorResponse(outcome, requestId);
    },
  };
}

/**
 * Takes the caller from the authorizer's result, parses and validates, then decides what the row
 * declares: the handler runs only for an allowed request.
 */
function httpInput(route: RouteDefinition): middy.MiddlewareObj<Event, Result> {
  return {
    before: async ({ event, context }) => {
      const s = state(context);
      // API Gateway's authorizer established the caller (never a header): fails closed with 401 otherwise.
      const principal = route.auth === 'required' ? principalFromEvent(event) : undefined;
      s.audit.principal = principal;
      s.input = validate(route.input, rawInput(event, route));
      if (!principal) return;
      // The policy set in force now (one consistent read when unchanged), the secret the row decides
      // on and what the row reads with it are read together: one batch, one round trip. Decisions
      // then stay synchronous.
      const [rules, loaded, readAhead] = await Promise.all([
        s.deps.accessRules.current(),
        readSecretOf(route.authorize, s.input, s.deps.secrets),
        readAheadOf(route, s.input, s.deps.secrets),
      ]);
      s.caller = new RequestAccess(principal, s.audit, s.deps, rules, sourceIpOf(event));
      s.secret = await s.caller.decide(route.authorize, s.input, loaded);
      // Only an allowed request's handler sees it (decide throws otherwise).
      s.readAhead = readAhead;
    },
  };
}

function accessLog(s: RequestState, status: number, errorCode?: string): void {
  s.log.info('request', {
    status,
    errorCode,
    principal: s.audit.principal?.id,
    latencyMs: Date.now() - s.startedAt,
  });
}

/**
 * Wraps an operation's business function in the shared middleware chain, so a handler only
 * calls domain code and returns data. Status codes, errors, authentication, authorization (from
 * the row) and audit live here.
 *
 * @param row - the operation's route row, imported from its own file (`routes/<op>.ts`)
 * @example
 * export const handler = operation(deleteSecret, async ({ deps, audit, secret }) => secretService(deps).delete(secret, audit));
 */
export function operation<R extends RouteDefinition>(row: R, fn: (args: OperationArgs<R>) => Promise<unknown>) {
  const route: RouteDefinition = row;
  return middy<Event, Result>()
    .use(publishMetrics())
    .use(vaultRequest(route))
    .use(httpInput(route))
    .handler(async (_event, context) => {
      const s = state(context);
      const args = { input: s.input, deps: s.deps, caller: s.caller as RequestAccess, audit: s.audit, secret: s.secret, readAhead: s.readAhead ?? {} };
      return (await fn(args as OperationArgs<R>)) as Result;
    });
}

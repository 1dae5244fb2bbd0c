import type { AuditOutbox } from '../audit/AuditOutbox';
import { RequestAudit } from '../audit/RequestAudit';
import type { RefusalCounter } from '../audit/refusals/RefusalWindows';
import type { Clock } from '../clock';
import { describeError, type Logger } from '../log/logger';
import { vaultMetrics } from '../observability/metrics';
import type { Principal } from './principal';

/** The audited action and operation of refused credentials: the request never reached a route's action. */
export const AUTHENTICATE = 'authenticate';

/** What API Gateway answers refused credentials (recorded as the event's status). */
export const DENIED_STATUS = 403;

/** A request whose credentials were refused, as its audit event records it. */
export interface RefusedRequest {
  requestId: string;
  /** The route asked for, e.g. `GET /v1/secrets/{secretId}`. */
  routeKey: string;
  sourceIp: string;
  userAgent: string;
}

/** What auditing a refusal needs; without `windows`, every refusal is audited on its own. */
export interface RefusalAuditDeps {
  outbox: AuditOutbox;
  clock: Clock;
  log: Logger;
  /** Counts repeated refusals of a source within a minute (`shared/audit/refusals/`). */
  windows?: RefusalCounter;
}

/**
 * Audits refused credentials (a bearer token, a SigV4 signature) as `authenticate` / `denied` / 403.
 * `principal` only when the credentials proved who sent them and something else was wrong (an
 * expired token or signature); otherwise the actor is `anonymous`.
 *
 * With `windows`, only the first refusal of a source (IP and principal) in a UTC minute is written
 * at once; later ones are counted, and the sweeper writes one summary with the count when the
 * minute is over. A window that cannot be counted (throttling, ...) means the refusal is audited on
 * its own, as without windows: it is never dropped. The request is refused whatever happens here;
 * a failed write is logged as an error.
 */
export async function auditRefusedCredentials(
  deps: RefusalAuditDeps,
  request: RefusedRequest,
  reason: string,
  principal?: Principal,
  details: Record<string, string> = {},
): Promise<void> {
  const { requestId, routeKey, sourceIp } = request;
  if (deps.windows) {
    try {
      const { first } = await deps.windows.count({ sourceIp, principal, reason, routeKey, userAgent: request.userAgent }, deps.clock.now());
      if (!first) {
        vaultMetrics.refusalAggregated();
        return;
      }
    } catch (windowError) {
      deps.log.error('refusal window could not be counted; the refusal is audited on its own', { requestId, ...describeError(windowError) });
    }
  }
  const audit = new RequestAudit(
    deps.outbox,
    { requestId, operation: AUTHENTICATE, action: AUTHENTICATE, sourceIp, userAgent: request.userAgent.slice(0, 512) },
    () => deps.clock.now(),
  );
  audit.principal = principal;
  Object.assign(audit.details, details, { routeKey });
  try {
    await audit.finish('denied', DENIED_STATUS, reason);
  } catch (auditError) {
    deps.log.error('audit write failed for refused credentials', { requestId, ...describeError(auditError) });
  }
}

import type { AuditOutbox } from '../audit/AuditOutbox';
import { RequestAudit } from '../audit/RequestAudit';
import type { Clock } from '../clock';
import { describeError, type Logger } from '../log/logger';
import type { Principal } from './principal';

/** The audited action and operation of refused credentials: the request never reached a route's action. */
const AUTHENTICATE = 'authenticate';

/** What API Gateway answers refused credentials (recorded as the event's status). */
const DENIED_STATUS = 403;

/** A request whose credentials were refused, as its audit event records it. */
export interface RefusedRequest {
  requestId: string;
  /** The route asked for, e.g. `GET /v1/secrets/{secretId}`. */
  routeKey: string;
  sourceIp: string;
  userAgent: string;
}

/**
 * Audits refused credentials (a bearer token, a SigV4 signature) as `authenticate` / `denied` / 403.
 * `principal` only when the credentials proved who sent them and something else was wrong (an
 * expired token or signature); otherwise the actor is `anonymous`. The request is refused whether
 * or not this write succeeds; a failed write is logged as an error.
 */
export async function auditRefusedCredentials(
  deps: { outbox: AuditOutbox; clock: Clock; log: Logger },
  request: RefusedRequest,
  reason: string,
  principal?: Principal,
  details: Record<string, string> = {},
): Promise<void> {
  const { requestId, routeKey, sourceIp } = request;
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

import type { AuditOutbox } from '../audit/AuditOutbox';
import { RequestAudit } from '../audit/RequestAudit';
import type { Clock } from '../clock';
import { describeError, type Logger } from '../log/logger';
import type { Principal } from './principal';
import { bearerToken, TokenRejectedError, type TokenVerifier } from './tokenVerifier';

/** The audited action and operation of a rejected token: it never reached a route's action. */
const AUTHENTICATE = 'authenticate';

/** What API Gateway answers when a Lambda authorizer says `isAuthorized: false` (recorded as the event's status). */
const DENIED_STATUS = 403;

/** One request as the authorizer sees it: the credential, and what the audit event records. */
export interface TokenRequest {
  /** The `Authorization` header as sent (`Bearer <token>`). */
  authorization: string | undefined;
  requestId: string;
  /** The route asked for, e.g. `GET /v1/secrets/{secretId}`. */
  routeKey: string;
  sourceIp: string;
  userAgent: string;
}

/** Allowed with the principal the token names, or refused with a reason the caller may read. */
export type TokenDecision = { allowed: true; principal: Principal } | { allowed: false; reason: string };

/**
 * Decides whether a request's bearer token is one the vault accepts: the people authorizer's whole
 * job. Route functions never see a refused request, so a refusal is audited here, in the outbox,
 * as `authenticate` / `denied` / 403. The actor is the principal the token names only when its
 * signature checked out and just a claim was wrong (an expired token, say); otherwise `anonymous`.
 * Unverified claims are never recorded: anyone can write any name into a token.
 *
 * @example
 * const authorizer = new TokenAuthorizer(verifier, outbox, systemClock, log);
 * const decision = await authorizer.decide({ authorization: 'Bearer eyJ…', requestId, routeKey: 'GET /v1/me', sourceIp, userAgent });
 */
export class TokenAuthorizer {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly outbox: AuditOutbox,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * @throws whatever stops the vault from checking the token (its issuer's keys cannot be fetched):
   *   API Gateway then answers 500, and nobody is let in.
   */
  async decide(request: TokenRequest): Promise<TokenDecision> {
    try {
      return { allowed: true, principal: await this.verifier.verify(bearerToken(request.authorization)) };
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      await this.recordRejection(request, error);
      return { allowed: false, reason: error.message };
    }
  }

  /** The request is refused whether or not this write succeeds; a failed write is logged as an error. */
  private async recordRejection(request: TokenRequest, rejection: TokenRejectedError): Promise<void> {
    const { requestId, routeKey, sourceIp } = request;
    this.log.info('bearer token rejected', { requestId, routeKey, sourceIp, reason: rejection.message, principal: rejection.principal?.id });
    const audit = new RequestAudit(
      this.outbox,
      { requestId, operation: AUTHENTICATE, action: AUTHENTICATE, sourceIp, userAgent: request.userAgent.slice(0, 512) },
      () => this.clock.now(),
    );
    audit.principal = rejection.principal;
    audit.details.routeKey = routeKey;
    try {
      await audit.finish('denied', DENIED_STATUS, rejection.message);
    } catch (auditError) {
      this.log.error('audit write failed for a rejected bearer token', { requestId, ...describeError(auditError) });
    }
  }
}

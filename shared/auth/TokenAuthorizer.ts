import type { AuditOutbox } from '../audit/AuditOutbox';
import type { RefusalCounter } from '../audit/refusals/RefusalWindows';
import type { Clock } from '../clock';
import type { Logger } from '../log/logger';
import { auditRefusedCredentials } from './refusalAudit';
import type { Principal } from './principal';
import { bearerToken, TokenRejectedError, type TokenVerifier } from './tokenVerifier';

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
 * as `authenticate` / `denied` / 403 (with `windows`, only the first refusal of a source in a
 * minute at once, the rest counted and summarized by the sweeper). The actor is the principal the token names only when its
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
    /** Without it, every refusal is audited on its own. */
    private readonly windows?: RefusalCounter,
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

  private async recordRejection(request: TokenRequest, rejection: TokenRejectedError): Promise<void> {
    const { requestId, routeKey, sourceIp } = request;
    this.log.info('bearer token rejected', { requestId, routeKey, sourceIp, reason: rejection.message, principal: rejection.principal?.id });
    await auditRefusedCredentials({ outbox: this.outbox, clock: this.clock, log: this.log, windows: this.windows }, request, rejection.message, rejection.principal);
  }
}

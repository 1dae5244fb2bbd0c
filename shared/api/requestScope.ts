import type { AuditScope } from '../audit/scope';
import type { Principal } from '../auth/principal';
import { ForbiddenError, NotFoundError } from '../errors';
import type { SecretRecord } from '../secrets/model';
import type { Deps } from './deps';

/** What a handler knows about its caller, and the only way it may authorize. */
export class RequestScope {
  private authorizedCount = 0;

  constructor(
    readonly principal: Principal,
    readonly audit: AuditScope,
    private readonly deps: Deps,
  ) {}

  /** True once some decision allowed this request; the wrapper refuses to answer otherwise. */
  get authorized(): boolean {
    return this.authorizedCount > 0;
  }

  /** Throws ForbiddenError unless the authorizer allows `action` on `path` (`*` = not about one secret). */
  authorize(action: string, path: string): void {
    const decision = this.deps.authorizer.decide({
      principal: this.principal,
      action,
      path,
      sourceIp: this.audit.request.sourceIp,
      timeMs: this.deps.clock.now(),
    });
    if (!decision.allowed) {
      this.audit.details.decision = decision.reason;
      throw new ForbiddenError(path === '*' ? `not allowed to ${action}` : `not allowed to ${action} on ${path}`);
    }
    this.authorizedCount++;
  }

  /**
   * Loads a secret and authorizes `action` on its path. A caller who could not act on every path
   * gets the same 403 for a missing id as for a forbidden one, so ids reveal nothing.
   */
  async secret(action: string, secretId: string): Promise<SecretRecord> {
    this.audit.setTarget({ secretId });
    const secret = await this.deps.secrets.get(secretId);
    if (!secret) {
      const everywhere = this.deps.authorizer.decide({
        principal: this.principal,
        action,
        path: '/**',
        sourceIp: this.audit.request.sourceIp,
        timeMs: this.deps.clock.now(),
      });
      if (everywhere.allowed) throw new NotFoundError(`no secret with id ${secretId}`, 'SecretNotFound');
      throw new ForbiddenError(`not allowed to ${action} on secret ${secretId}`);
    }
    this.audit.setTarget({ path: secret.path });
    this.authorize(action, secret.path);
    return secret;
  }
}

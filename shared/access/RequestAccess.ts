import type { AuditTarget } from '../audit/event';
import type { RequestAudit } from '../audit/RequestAudit';
import type { Principal } from '../auth/principal';
import type { Clock } from '../clock';
import { ForbiddenError, NotFoundError } from '../errors';
import { ACTION_DETAILS, ActionScope, GLOBAL_SCOPE, type Action, type PermissionSummary } from '../policy';
import type { SecretRecord } from '../secrets/model';
import type { SecretStore } from '../secrets/SecretStore';
import type { AccessContext, AccessDecision, AccessRules } from './PolicyRules';

/** A grant a request was allowed under (an approved access request). */
export interface UsedGrant {
  requestId: string;
  /** Epoch ms the grant ends. */
  expiresAt: number;
}

/** Finds the caller's approved, unexpired grant for an action on a secret. */
export interface GrantLookup {
  grantFor(principal: Principal, secret: SecretRecord, action: Action, nowMs: number): Promise<UsedGrant | undefined>;
}

/** Pattern that covers every secret path: an action allowed on it, and denied nowhere, is allowed everywhere. */
const EVERY_PATH = '/**';

/**
 * What is decided before an operation runs, and about what (a route row's `authorize`):
 * - `secret`: `action` on the secret named by the `secretId` path parameter (the handler gets it loaded);
 * - `path`: `action` on a secret path taken from the input (creating a secret);
 * - `global`: a global action, on `*`;
 * - `anywhere`: one of `anyOf` allowed somewhere (lists, filtered per secret afterwards);
 * - `caller`: any authenticated caller, about itself;
 * - `none`: no caller at all (health, the API description).
 */
export type AccessTarget<In = unknown> =
  | { on: 'secret'; action: Action }
  | { on: 'path'; action: Action; path(input: In): string }
  | { on: 'global'; action: Action }
  | { on: 'anywhere'; anyOf: readonly [Action, ...Action[]] }
  | { on: 'caller' }
  | { on: 'none' };

/** A secret read before its decision (undefined: there is none with that id). */
export interface LoadedSecret {
  secret: SecretRecord | undefined;
}

/**
 * Reads the secret a row's `on: 'secret'` decision is about, so it can be read together with the
 * rules (the reads share one batch); nothing for other targets. Reading is not deciding: the
 * handler gets the secret only through `decide`.
 */
export async function readSecretOf(target: AccessTarget, input: unknown, secrets: Pick<SecretStore, 'get'>): Promise<LoadedSecret | undefined> {
  if (target.on !== 'secret') return undefined;
  return { secret: await secrets.get(secretIdOf(input)) };
}

/** The secret a row with `authorize: { on: 'secret' }` decides on: its `secretId` path parameter. */
export function secretIdOf(input: unknown): string {
  return String(paramsOf(input).secretId);
}

function paramsOf(input: unknown): Record<string, unknown> {
  return (input as { params?: Record<string, unknown> }).params ?? {};
}

/** Path parameters naming what a request is about, recorded before it is decided (a secret's id: by `secret`). */
const TARGET_PARAMS = ['policyId', 'templateId'] as const satisfies readonly (keyof AuditTarget)[];

/** What deciding reads besides the rules: the clock for conditions, the store for `on: 'secret'`, grants for approval policies. */
export interface RequestAccessDeps {
  clock: Clock;
  secrets: Pick<SecretStore, 'get'>;
  accessRequests: GrantLookup;
}

/**
 * The caller of one request and its access: the only way a request is authorized. Every decision
 * is made against the policy set loaded for this request (`rules`), and the policies that made it
 * are written to the audit event (`decidedBy`, `policySetVersion`).
 */
export class RequestAccess {
  private authorizedCount = 0;
  private readonly decidedBy = new Set<string>();
  /** The grant the request was allowed under, when its only allow needs approval. */
  grant?: UsedGrant;

  /**
   * @param principal - the authenticated caller
   * @param audit - the request's audit record
   * @param deps - the clock is read for each decision, the secret store for `on: 'secret'`
   * @param rules - the access rules in force for this request
   * @param sourceIp - the request's source IP, for policy conditions
   */
  constructor(
    readonly principal: Principal,
    private readonly audit: RequestAudit,
    private readonly deps: RequestAccessDeps,
    readonly rules: AccessRules,
    readonly sourceIp?: string,
  ) {
    audit.details.policySetVersion = rules.version;
  }

  /** True once some decision allowed this request; the wrapper refuses to answer otherwise. */
  get authorized(): boolean {
    return this.authorizedCount > 0;
  }

  /**
   * Decides what a row declares: denials throw (ForbiddenError, or NotFoundError where the
   * caller may see every secret); `on: 'secret'` returns the loaded secret.
   *
   * @param target - the row's `authorize`
   * @param input - the validated input (path parameters; the path of `on: 'path'`)
   * @param loaded - for `on: 'secret'`, the secret as already read for this request (readSecretOf);
   *   read here when not given
   */
  async decide(target: Extract<AccessTarget, { on: 'secret' }>, input: unknown, loaded?: LoadedSecret): Promise<SecretRecord>;
  async decide(target: AccessTarget, input: unknown, loaded?: LoadedSecret): Promise<SecretRecord | undefined>;
  async decide(target: AccessTarget, input: unknown, loaded?: LoadedSecret): Promise<SecretRecord | undefined> {
    const params = paramsOf(input);
    for (const key of TARGET_PARAMS) {
      if (typeof params[key] === 'string') this.audit.setTarget({ [key]: params[key] });
    }
    switch (target.on) {
      case 'secret':
        return this.secret(target.action, secretIdOf(input), loaded);
      case 'path': {
        const path = target.path(input);
        this.audit.setTarget({ path });
        this.authorize(target.action, path);
        return undefined;
      }
      case 'global':
        this.authorize(target.action, GLOBAL_SCOPE);
        return undefined;
      case 'anywhere':
        this.authorizeSomewhere(...target.anyOf);
        return undefined;
      case 'caller':
        this.authorizeSelf();
        return undefined;
      case 'none':
        return undefined;
    }
  }

  /**
   * The same caller and audit record, deciding against other rules: those in force later in a
   * request that waits (the `minValidSeconds` wait of an OTP), so a grant revoked meanwhile holds.
   */
  withRules(rules: AccessRules): RequestAccess {
    return new RequestAccess(this.principal, this.audit, this.deps, rules, this.sourceIp);
  }

  /** The caller, source IP and time, as policy conditions see them. */
  private context(): AccessContext {
    return { principal: this.principal, sourceIp: this.sourceIp, timeMs: this.deps.clock.now() };
  }

  /** Throws ForbiddenError unless the policies allow `action` on `path` (`*` for global actions). */
  private authorize(action: Action, path: string): void {
    const decision = this.check(action, path);
    if (!decision.allowed) this.deny(decision, path === GLOBAL_SCOPE ? `not allowed to ${action}` : `not allowed to ${action} on ${path}`);
  }

  /**
   * Loads a secret and authorizes `action` on its path. A caller who could not act on every path
   * gets the same 403, with the same message, for a missing id as for a forbidden one, so ids
   * reveal neither existence nor path.
   */
  private async secret(action: Action, secretId: string, loaded?: LoadedSecret): Promise<SecretRecord> {
    this.audit.setTarget({ secretId });
    const secret = loaded ? loaded.secret : await this.deps.secrets.get(secretId);
    const forbidden = `not allowed to ${action} on secret ${secretId}`;
    if (!secret) {
      if (this.allowedEverywhere(action)) throw new NotFoundError(`no secret with id ${secretId}`, 'SecretNotFound');
      this.audit.details.decision = `${forbidden}: no such secret, and not allowed on every path`;
      throw new ForbiddenError(forbidden);
    }
    this.audit.setTarget({ path: secret.path });
    // The alert publisher reads this from the audit event (shared/alerts).
    if (secret.alertOnUse) this.audit.details.alertOnUse = true;
    const decision = this.check(action, secret.path);
    if (decision.allowed) return secret;
    if (decision.needsApproval) {
      // Checked at use with the clock: an expired grant never works, whether or not TTL removed it yet.
      const grant = await this.deps.accessRequests.grantFor(this.principal, secret, action, this.deps.clock.now());
      if (grant) {
        this.grant = { requestId: grant.requestId, expiresAt: grant.expiresAt };
        Object.assign(this.audit.details, { grant: grant.requestId, grantUntil: new Date(grant.expiresAt).toISOString() });
        this.authorizedCount++;
        return secret;
      }
      this.audit.details.decision = `${decision.reason}; no approved grant in force`;
      throw new ForbiddenError(`${action} on secret ${secretId} needs approval: request access with POST /v1/access-requests`, 'ApprovalRequired');
    }
    this.deny(decision, forbidden);
  }

  /** What the rules say about `action` on `path` for this caller now; authorizes nothing. */
  evaluate(action: Action, path: string): AccessDecision {
    return this.rules.decide({ ...this.context(), action, path });
  }

  /** The actions on each path the caller may do only under an approved grant. */
  needsApprovalFor(paths: readonly string[]): Map<string, Action[]> {
    return this.rules.needsApprovalFor(this.context(), paths);
  }

  /** Resource patterns per action of the approval policies that apply to the caller now. */
  approvalSummary(): PermissionSummary[] {
    return this.rules.summary(this.context(), 'approval');
  }

  /**
   * Allows the request when the caller may do at least one of `actions` somewhere: a global
   * action on `*`, a secret action on some path (some allow applies, and no deny covers every
   * path). For operations whose result is then filtered per secret (lists) or that are not about
   * one secret (template reads).
   */
  private authorizeSomewhere(...actions: Action[]): void {
    const context = this.context();
    const global = this.rules.permissionsFor(context, [GLOBAL_SCOPE]).get(GLOBAL_SCOPE) ?? [];
    const summary = this.rules.summary(context);
    const allowed = actions.find((action) =>
      ACTION_DETAILS[action].scope === ActionScope.global ? global.includes(action) : somewhere(summary, action),
    );
    if (allowed === undefined) {
      const reason = `not allowed to ${actions.join(' or ')} anywhere`;
      this.audit.details.decision = reason;
      throw new ForbiddenError(reason);
    }
    this.audit.details.allowedAs = allowed;
    this.authorizedCount++;
  }

  /** Allows a request that is only about the caller itself (`/v1/me`): any authenticated caller may ask. */
  private authorizeSelf(): void {
    this.audit.details.allowedAs = 'self';
    this.authorizedCount++;
  }

  /** The actions the caller may do on each path (`*` gives the global actions). */
  permissionsFor(paths: readonly string[]): Map<string, Action[]> {
    return this.rules.permissionsFor(this.context(), paths);
  }

  /** Effective permissions of the caller now, per action. */
  summary(): PermissionSummary[] {
    return this.rules.summary(this.context());
  }

  private check(action: Action, path: string): AccessDecision {
    const decision = this.rules.decide({ ...this.context(), action, path });
    for (const policy of decision.decidedBy) this.decidedBy.add(policy.id);
    if (this.decidedBy.size > 0) this.audit.details.decidedBy = [...this.decidedBy].join(',');
    if (decision.allowed) this.authorizedCount++;
    return decision;
  }

  private deny(decision: AccessDecision, message: string): never {
    this.audit.details.decision = decision.decidedBy.length > 0 ? decision.reason : `${decision.reason}: no policy allows it`;
    throw new ForbiddenError(message);
  }

  private allowedEverywhere(action: Action): boolean {
    const row = this.summary().find((r) => r.action === action);
    return row !== undefined && row.allow.includes(EVERY_PATH) && row.deny.length === 0;
  }
}

function somewhere(summary: readonly PermissionSummary[], action: Action): boolean {
  const row = summary.find((r) => r.action === action);
  return row !== undefined && row.allow.length > 0 && !row.deny.includes(EVERY_PATH);
}

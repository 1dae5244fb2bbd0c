import type { RequestAccess } from '../access/RequestAccess';
import type { RequestAudit } from '../audit/RequestAudit';
import type { Principal } from '../auth/principal';
import type { Clock } from '../clock';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors';
import { ulid } from '../ids';
import { mergeApprovals, requestPrincipals, type Action, type ApprovalRequirement } from '../policy';
import type { SecretRecord } from '../secrets/model';
import type { SecretStore } from '../secrets/SecretStore';
import { isConditionFailure } from '../store/transactions';
import { APPROVAL_LIMITS, requestView, statusAt, type AccessRequestPage, type AccessRequestRecord, type AccessRequestView, type Grant, type GrantView } from './model';
import type { CreateAccessRequestBody, ListAccessRequestsQuery } from './schema';
import type { PolicyStore } from '../policy/store';
import type { AccessRequestStore } from './AccessRequestStore';

const MINUTE_MS = 60_000;

/**
 * Is `who` one of `approvers` (by one of its groups, or by its own id)? A user named by its own id
 * counts only as the account the approval policy bound (`approverSubs`): a re-created user of the
 * same name does not approve.
 */
export function namedApprover(approvers: readonly string[], approverSubs: Readonly<Record<string, readonly string[]>> | undefined, who: Principal): boolean {
  return requestPrincipals(who.id, who.groups).some((key) => {
    if (!approvers.includes(key)) return false;
    if (key !== who.id || who.kind !== 'user') return true;
    const bound = approverSubs && Object.hasOwn(approverSubs, who.name) ? approverSubs[who.name] : undefined;
    return who.sub !== undefined && bound !== undefined && bound.includes(who.sub);
  });
}

/** Is `who` the requester: the same principal and, for a user, the same account (sub)? */
export function isRequester(request: Pick<AccessRequestRecord, 'requester' | 'requesterSub'>, who: Principal): boolean {
  if (request.requester !== who.id) return false;
  return who.kind !== 'user' || (who.sub !== undefined && request.requesterSub === who.sub);
}

/** Does a stored grant belong to `who` (for a user: to the same account)? */
function heldBy(grant: Grant, who: Principal): boolean {
  return who.kind !== 'user' || (who.sub !== undefined && grant.sub === who.sub);
}

/**
 * Just-in-time access: a caller whose only applicable allow carries an approval block asks for
 * access; approvers named by that policy (never the requester) approve or deny; the approved
 * request grants its actions on its secret until `grantUntil`. Every step writes its audit event
 * in the same transaction as the change.
 */
export class AccessRequests {
  constructor(
    private readonly store: AccessRequestStore,
    private readonly secrets: Pick<SecretStore, 'get'>,
    private readonly clock: Clock,
    private readonly policies: Pick<PolicyStore, 'get'>,
  ) {}

  async create(caller: RequestAccess, body: CreateAccessRequestBody, audit: RequestAudit): Promise<AccessRequestView> {
    const named = body.secretId ?? (body.path as string);
    const notRequestable = () =>
      new ForbiddenError(`no approval policy lets you request ${body.actions.join(', ')} on ${named}`, 'NotRequestable');
    const secretId = body.secretId ?? (await this.store.secretIdAt(body.path as string));
    const secret = secretId === undefined ? undefined : await this.secrets.get(secretId);
    if (!secret) {
      // Same answer as for a secret the caller may not request: ids and paths reveal nothing.
      audit.details.decision = 'no such secret';
      throw notRequestable();
    }
    audit.setTarget({ secretId: secret.id, path: secret.path });
    const requirements: ApprovalRequirement[] = [];
    for (const action of body.actions as Action[]) {
      const decision = caller.evaluate(action, secret.path);
      if (decision.allowed) throw new ConflictError(`you may already ${action} on ${secret.path} without approval`, 'AlreadyAllowed');
      if (!decision.needsApproval) {
        audit.details.decision = decision.reason;
        throw notRequestable();
      }
      requirements.push(decision.needsApproval);
    }
    const needed = mergeApprovals(requirements) as ApprovalRequirement;
    if (needed.justificationRequired && body.justification === '') {
      throw new InvalidInputError('the approval policy requires a justification: say why you need access', { field: 'justification' }, 'JustificationRequired');
    }
    const now = this.clock.now();
    const request: AccessRequestRecord = {
      id: ulid(now),
      requester: caller.principal.id,
      ...(caller.principal.sub !== undefined ? { requesterSub: caller.principal.sub } : {}),
      secretId: secret.id,
      path: secret.path,
      actions: body.actions as Action[],
      justification: body.justification,
      minutes: Math.min(body.minutes ?? needed.grantMinutes, needed.grantMinutes),
      status: 'pending',
      approvers: needed.approvers,
      approverSubs: needed.approverSubs,
      minApprovals: needed.minApprovals,
      policyIds: needed.policyIds,
      approvals: [],
      approvedBy: [],
      createdAt: new Date(now).toISOString(),
      pendingUntil: now + APPROVAL_LIMITS.pendingHours * 60 * MINUTE_MS,
    };
    const details = { accessRequestId: request.id, actions: request.actions.join(','), minutes: request.minutes, minApprovals: request.minApprovals };
    await audit.inTransaction(201, 'access requested', details, (item) => this.store.create(request, item));
    return requestView(request, now);
  }

  /** One request, for its requester or one of its approvers. */
  async get(caller: RequestAccess, id: string, audit: RequestAudit): Promise<AccessRequestView> {
    const request = await this.load(id, audit);
    if (!isRequester(request, caller.principal) && !namedApprover(request.approvers, request.approverSubs, caller.principal)) {
      throw new NotFoundError(`no access request ${id} you made or may decide`, 'AccessRequestNotFound');
    }
    return requestView(request, this.clock.now());
  }

  /** Requests the caller made or may decide, newest first, a page at a time (see `AccessRequestStore.newest`). */
  async list(caller: RequestAccess, query: ListAccessRequestsQuery): Promise<AccessRequestPage> {
    const me = caller.principal;
    const now = this.clock.now();
    const keep = (r: AccessRequestRecord): boolean => {
      const status = statusAt(r, now);
      if (query.status !== undefined && status !== query.status) return false;
      if (query.mine) return isRequester(r, me);
      if (query.toApprove) return status === 'pending' && r.requester !== me.id && namedApprover(r.approvers, r.approverSubs, me) && !r.approvedBy.includes(me.id);
      return isRequester(r, me) || namedApprover(r.approvers, r.approverSubs, me);
    };
    // A cursor holds for the caller (the account, not just the name) and the filters it was made for.
    const binding = JSON.stringify(['accessRequests', me.id, me.sub ?? null, query.status ?? null, query.mine === true, query.toApprove === true]);
    const found = await this.store.newest(keep, { limit: query.limit, cursor: query.cursor, binding });
    return { items: found.records.map((r) => requestView(r, now)), ...(found.nextCursor !== undefined ? { nextCursor: found.nextCursor } : {}) };
  }

  async approve(caller: RequestAccess, id: string, comment: string | undefined, audit: RequestAudit): Promise<AccessRequestView> {
    const request = await this.load(id, audit);
    const now = this.clock.now();
    const me = caller.principal;
    this.assertDecidable(request, now, me, 'approve');
    await this.assertStillApprover(request, me, 'approve');
    if (request.approvedBy.includes(me.id)) {
      throw new ConflictError(`you already approved this request; it needs ${request.minApprovals} different approvers`, 'AlreadyApproved');
    }
    const approval = { by: me.id, at: new Date(now).toISOString(), ...(comment !== undefined ? { comment } : {}) };
    const approvals = request.approvedBy.length + 1;
    const details = { accessRequestId: id, approvals, minApprovals: request.minApprovals, requester: request.requester };
    let updated: AccessRequestRecord = { ...request, approvals: [...request.approvals, approval], approvedBy: [...request.approvedBy, me.id] };
    await this.decided(id, now, async () => {
      if (approvals < request.minApprovals) {
        await audit.inTransaction(200, 'access request approval recorded', details, (item) => this.store.addApproval(request, approval, now, item));
        return;
      }
      const grantUntil = now + request.minutes * MINUTE_MS;
      const grantDetails = { ...details, grantUntil: new Date(grantUntil).toISOString() };
      await audit.inTransaction(200, 'access request approved', grantDetails, (item) => this.store.approve(request, approval, grantUntil, now, item));
      updated = { ...updated, status: 'approved', grantUntil, decidedAt: approval.at, decidedBy: me.id };
    });
    return requestView(updated, now);
  }

  async deny(caller: RequestAccess, id: string, comment: string | undefined, audit: RequestAudit): Promise<AccessRequestView> {
    const request = await this.load(id, audit);
    const now = this.clock.now();
    const me = caller.principal;
    this.assertDecidable(request, now, me, 'deny');
    await this.assertStillApprover(request, me, 'deny');
    const at = new Date(now).toISOString();
    await this.decided(id, now, () =>
      audit.inTransaction(200, 'access request denied', { accessRequestId: id, requester: request.requester }, (item) => this.store.deny(request, me.id, at, comment, now, item)),
    );
    return requestView({ ...request, status: 'denied', decidedAt: at, decidedBy: me.id, ...(comment !== undefined ? { comment } : {}) }, now);
  }

  /** The requester withdraws a pending request, or ends an approved one before its time. */
  async withdraw(caller: RequestAccess, id: string, audit: RequestAudit): Promise<AccessRequestView> {
    const request = await this.load(id, audit);
    const now = this.clock.now();
    if (!isRequester(request, caller.principal)) throw new ForbiddenError('only the requester can withdraw a request', 'NotYourRequest');
    const status = statusAt(request, now);
    if (status !== 'pending' && status !== 'approved') {
      throw new ConflictError(`the request is ${status}; only pending or approved requests can be withdrawn`, 'RequestClosed', { status });
    }
    const at = new Date(now).toISOString();
    await this.decided(id, now, () =>
      audit.inTransaction(200, 'access request withdrawn', { accessRequestId: id, was: status }, (item) => this.store.withdraw(request, at, now, item)),
    );
    return requestView({ ...request, status: 'withdrawn', withdrawnAt: at }, now);
  }

  /** The grant the caller holds for `action` on `secret` at `nowMs`: stored, unexpired, for the secret's current path. */
  async grantFor(principal: Principal, secret: SecretRecord, action: Action, nowMs: number): Promise<Grant | undefined> {
    const grant = await this.store.grant(principal.id, secret.id, action);
    if (!grant || grant.expiresAt <= nowMs || grant.path !== secret.path || !heldBy(grant, principal)) return undefined;
    return grant;
  }

  /**
   * The grants in force for the caller on each of `secrets` (those whose actions need approval):
   * one consistent Query per secret, a few at a time, for at most `APPROVAL_LIMITS.grantLookups` secrets.
   */
  async grantsIn(principal: Principal, secrets: readonly { id: string; path: string }[], nowMs: number): Promise<Map<string, GrantView[]>> {
    const result = new Map<string, GrantView[]>();
    const wanted = secrets.slice(0, APPROVAL_LIMITS.grantLookups);
    for (let i = 0; i < wanted.length; i += 4) {
      await Promise.all(
        wanted.slice(i, i + 4).map(async (secret) => {
          const grants = (await this.store.grantsOn(principal.id, secret.id)).filter(
            (g) => g.expiresAt > nowMs && g.path === secret.path && heldBy(g, principal),
          );
          if (grants.length > 0) result.set(secret.id, grants.map((g) => ({ action: g.action, requestId: g.requestId, until: new Date(g.expiresAt).toISOString() })));
        }),
      );
    }
    return result;
  }

  private async load(id: string, audit: RequestAudit): Promise<AccessRequestRecord> {
    audit.details.accessRequestId = id;
    const request = await this.store.get(id);
    if (!request) throw new NotFoundError(`no access request ${id}`, 'AccessRequestNotFound');
    audit.setTarget({ secretId: request.secretId, path: request.path });
    return request;
  }

  private assertDecidable(request: AccessRequestRecord, nowMs: number, me: Principal, verb: 'approve' | 'deny'): void {
    if (request.requester === me.id) {
      throw verb === 'approve'
        ? new ForbiddenError('nobody approves their own request: one of the approvers named by the policy must', 'SelfApprovalRefused')
        : new ForbiddenError('you cannot decide on your own request; withdraw it with DELETE instead', 'SelfDecisionRefused');
    }
    if (!namedApprover(request.approvers, request.approverSubs, me)) {
      throw new ForbiddenError(`you are not named as an approver of this request, so you cannot ${verb} it`, 'NotAnApprover');
    }
    const status = statusAt(request, nowMs);
    if (status !== 'pending') throw new ConflictError(`the request is ${status}, so it can no longer be decided`, 'RequestNotPending', { status });
  }

  /**
   * The approvers named when the request was made must still be named now: an approval policy that
   * was changed or deleted since takes its approvers with it.
   */
  private async assertStillApprover(request: AccessRequestRecord, me: Principal, verb: 'approve' | 'deny'): Promise<void> {
    const current = await Promise.all(request.policyIds.map((id) => this.policies.get(id)));
    const approving = current.filter((policy) => policy?.effect === 'allow');
    const approvers = approving.flatMap((policy) => policy?.approval?.approvers ?? []);
    // As the policies bind their users now: re-saving a policy for a re-created approver moves the right to the new account.
    const approverSubs: Record<string, string[]> = {};
    for (const policy of approving) {
      for (const [name, sub] of Object.entries(policy?.userSubs ?? {})) approverSubs[name] = [...(approverSubs[name] ?? []), sub];
    }
    if (!namedApprover(approvers, approverSubs, me)) {
      throw new ForbiddenError(`the approval policy no longer names you as an approver, so you cannot ${verb} this request`, 'NotAnApprover');
    }
  }

  /** Runs a conditional decision; if another one landed first, says what the request is now. */
  private async decided(id: string, nowMs: number, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const now = await this.store.get(id);
      const status = now ? statusAt(now, nowMs) : 'withdrawn';
      if (status !== 'pending') throw new ConflictError(`the request is ${status}: another decision landed first`, 'RequestNotPending', { status });
      throw new ConflictError('another approval was recorded at the same moment; look at the request again and retry', 'ConcurrentDecision');
    }
  }
}

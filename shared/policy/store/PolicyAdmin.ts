import type { RequestAudit } from '../../audit/RequestAudit';
import { ConflictError, NotFoundError } from '../../errors';
import { ulid } from '../../ids';
import { cancellationCodes } from '../../store/transactions';
import { currentSubs, bindUsers } from '../../users/bindUsers';
import type { UserDirectory } from '../../users/UserDirectory';
import { bindingWarnings, namedUsers } from '../bindings';
import { BUILTIN_POLICIES, isBuiltinPolicyId } from '../builtin';
import type { PolicyDocument } from '../schema';
import type { Policy } from '../types';
import { policyManagersAfter } from './lockout';
import { documentOf, type PolicyRecord, type PolicySet } from './policyRecord';
import { POLICY_WRITE_ITEMS, type PolicyStore } from './PolicyStore';

/** A policy as the API shows it: built-ins carry `builtin: true` and no change history. */
export type PolicyView = Policy | PolicyRecord;

/** One policy as `GET /v1/policies/{id}` shows it: with what no longer matches the accounts it was bound to. */
export type PolicyDetail = PolicyView & {
  /** For each named user whose binding matches nobody now (re-created, deleted, never bound): what to do. */
  warnings?: string[];
};

/** Who changes a policy, and when. */
export interface PolicyChange {
  by: string;
  nowMs: number;
  audit: RequestAudit;
  /** When given, the change applies only if the stored policy is still at this version. */
  expectedVersion?: number;
}

/**
 * Creating, reading, replacing and deleting access policies. Every change is validated against
 * the whole set (built-ins are read-only; the lock-out rule of `lockout.ts`), computed from one
 * consistent read of the set, and written with its audit event in one transaction that also
 * bumps the policy-set version, conditioned on the version read: two concurrent changes cannot
 * both pass the lock-out check against the same old set.
 *
 * @example
 * const admin = new PolicyAdmin(store);
 * await admin.create(document, { by: 'user:alice', nowMs: clock.now(), audit: scope.audit });
 */
export class PolicyAdmin {
  constructor(
    private readonly store: PolicyStore,
    /** Where named users are bound to their accounts (subs) when a policy is written. */
    private readonly users: UserDirectory,
  ) {}

  /** Built-ins first, then stored policies by name. */
  async list(): Promise<{ version: number; items: PolicyView[] }> {
    const set = await this.store.load();
    const stored = [...set.policies].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { version: set.version, items: [...BUILTIN_POLICIES, ...stored] };
  }

  async get(id: string): Promise<PolicyDetail> {
    const builtin = BUILTIN_POLICIES.find((p) => p.id === id);
    if (builtin) return builtin;
    const stored = await this.store.get(id);
    if (!stored) throw notFound(id);
    const warnings = bindingWarnings(stored, stored.userSubs, await currentSubs(this.users, namedUsers(stored)));
    return warnings.length > 0 ? { ...stored, warnings } : stored;
  }

  async create(document: PolicyDocument, change: PolicyChange): Promise<PolicyRecord> {
    const at = new Date(change.nowMs).toISOString();
    const userSubs = await bindUsers(document, this.users);
    const policy: PolicyRecord = {
      id: `pol-${ulid(change.nowMs).toLowerCase()}`,
      ...documentOf(document),
      userSubs,
      version: 1,
      createdAt: at,
      createdBy: change.by,
      updatedAt: at,
      updatedBy: change.by,
    };
    change.audit.setTarget({ policyId: policy.id });
    const set = await this.store.load();
    refuseLockout([...set.policies, policy]);
    await this.write(change, 201, 'policy created', policy, set, (item) => this.store.put(policy, undefined, set.version, item));
    return policy;
  }

  async replace(id: string, document: PolicyDocument, change: PolicyChange): Promise<PolicyRecord> {
    change.audit.setTarget({ policyId: id });
    refuseBuiltin(id, 'changed');
    const set = await this.store.load();
    const previous = findCurrent(set, id, change.expectedVersion);
    // Saving binds each named user to its account now: this is how a re-created user is granted again.
    const userSubs = await bindUsers(document, this.users);
    const policy: PolicyRecord = {
      ...documentOf(document),
      userSubs,
      id,
      version: previous.version + 1,
      createdAt: previous.createdAt,
      createdBy: previous.createdBy,
      updatedAt: new Date(change.nowMs).toISOString(),
      updatedBy: change.by,
    };
    refuseLockout(set.policies.map((p) => (p.id === id ? policy : p)));
    await this.write(change, 200, 'policy replaced', policy, set, (item) => this.store.put(policy, previous.version, set.version, item));
    return policy;
  }

  async delete(id: string, change: PolicyChange): Promise<void> {
    change.audit.setTarget({ policyId: id });
    refuseBuiltin(id, 'deleted');
    const set = await this.store.load();
    const previous = findCurrent(set, id, change.expectedVersion);
    refuseLockout(set.policies.filter((p) => p.id !== id));
    const at = new Date(change.nowMs).toISOString();
    await this.write(change, 204, 'policy deleted', previous, set, (item) => this.store.delete(id, previous.version, set.version, at, item));
  }

  private async write(
    change: PolicyChange,
    status: number,
    reason: string,
    policy: PolicyRecord,
    set: PolicySet,
    commit: Parameters<RequestAudit['inTransaction']>[3],
  ): Promise<void> {
    const details = { policyVersion: policy.version, effect: policy.effect, newPolicySetVersion: set.version + 1 };
    try {
      await change.audit.inTransaction(status, reason, details, commit);
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[POLICY_WRITE_ITEMS.setVersion] === 'ConditionalCheckFailed' || codes?.[POLICY_WRITE_ITEMS.policy] === 'ConditionalCheckFailed') {
        throw new ConflictError('the policies changed while this change was being made; read them again and retry', 'ConcurrentPolicyChange');
      }
      if (codes?.includes('TransactionConflict')) {
        throw new ConflictError('another policy change was being written at the same time; retry', 'ConcurrentPolicyChange');
      }
      throw error;
    }
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`no policy with id ${id}`, 'PolicyNotFound');
}

function refuseBuiltin(id: string, what: 'changed' | 'deleted'): void {
  if (!isBuiltinPolicyId(id)) return;
  throw new ConflictError(
    `${id} is a built-in policy and cannot be ${what}; it grants every action to group admins, so manage who is in that group in the identity provider, and add your own policies beside it`,
    'BuiltinPolicy',
  );
}

function findCurrent(set: PolicySet, id: string, expectedVersion: number | undefined): PolicyRecord {
  const previous = set.policies.find((p) => p.id === id);
  if (!previous) throw notFound(id);
  if (expectedVersion !== undefined && previous.version !== expectedVersion) {
    throw new ConflictError(`policy ${id} is at version ${previous.version}, not ${expectedVersion}; read it again`, 'PolicyVersionMismatch', {
      currentVersion: previous.version,
    });
  }
  return previous;
}

function refuseLockout(after: readonly Policy[]): void {
  if (policyManagersAfter(after).length > 0) return;
  throw new ConflictError(
    'refused: after this change nobody could manage policies, because denies without conditions would cancel every grant of policy:manage (the built-in one for group admins included); keep at least one policy:manage grant that no unconditional deny cancels',
    'PolicyLockout',
  );
}

import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ITEM, KIND, POLICIES_PK, POLICY_SK_PREFIX } from '../../store/keys';
import { ConsistentReads } from '../../store/ConsistentReads';
import { queryAll } from '../../store/queryAll';
import { transactWrite, type TransactWriteItem } from '../../store/transactions';
import type { PolicyRecord, PolicySet } from './policyRecord';

/**
 * Access policies in the vault table. Every policy lives in the `POLICIES` partition next to the
 * policy-set version item; every change writes the policy, bumps the version (conditioned on the
 * version the change was computed from) and writes its audit event, in one transaction. So:
 * - the version read alone (one consistent GetItem) tells whether anything changed;
 * - changes are serialized: a change computed from a stale set fails instead of overwriting;
 * - the set is read with consistent Queries on the table, never through the eventually
 *   consistent `byKind` index (policy items carry `kind` and `sortKey` only for inventory).
 *
 * @example
 * const store = new PolicyStore(db, config.tables.vault);
 * const { version, policies } = await store.load();
 */
export class PolicyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Shared with the secret store: the version and the secret a request decides on are read in one batch. */
    private readonly reads = new ConsistentReads(db, table),
  ) {}

  /** The current policy-set version (0 before the first change): one strongly consistent read of a small item. */
  async version(): Promise<number> {
    const item = await this.reads.get(ITEM.policySet());
    return typeof item?.version === 'number' ? item.version : 0;
  }

  /**
   * Every stored policy, with the version read *before* them: a change landing while the
   * policies are read makes the returned version older than the policies, never newer, so a
   * cache keyed by it reloads on its next check instead of keeping a mixed set.
   */
  async load(): Promise<PolicySet> {
    const version = await this.version();
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': POLICIES_PK, ':prefix': POLICY_SK_PREFIX },
      ConsistentRead: true,
    });
    return { version, policies: items.map(toRecord) };
  }

  async get(id: string): Promise<PolicyRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.policy(id), ConsistentRead: true }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  /**
   * Writes `policy` (new when `previousVersion` is undefined, else replacing that version) and
   * moves the set from `setVersion` to `setVersion + 1`, with `audit`, atomically.
   * @throws TransactionCanceledException: item 0 failed = the policy exists / changed / is gone;
   *   item 1 failed = the set changed since `setVersion` (see `POLICY_WRITE_ITEMS`).
   */
  async put(policy: PolicyRecord, previousVersion: number | undefined, setVersion: number, audit: TransactWriteItem): Promise<void> {
    const item = { ...ITEM.policy(policy.id), kind: KIND.policy, sortKey: policy.id, ...policy };
    const condition: Partial<NonNullable<TransactWriteItem['Put']>> =
      previousVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': previousVersion },
          };
    await transactWrite(this.db, [{ Put: { TableName: this.table, Item: item, ...condition } }, this.bump(setVersion, policy.updatedAt), audit]);
  }

  /** Deletes version `previousVersion` of a policy and bumps the set, with `audit`, atomically (failures as for `put`). */
  async delete(id: string, previousVersion: number, setVersion: number, atIso: string, audit: TransactWriteItem): Promise<void> {
    await transactWrite(this.db, [
      {
        Delete: {
          TableName: this.table,
          Key: ITEM.policy(id),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': previousVersion },
        },
      },
      this.bump(setVersion, atIso),
      audit,
    ]);
  }

  /** The version update every change carries: only from the version the change was computed from. */
  private bump(setVersion: number, atIso: string): TransactWriteItem {
    return {
      Update: {
        TableName: this.table,
        Key: ITEM.policySet(),
        UpdateExpression: 'SET #v = :next, #at = :at',
        ConditionExpression: setVersion === 0 ? 'attribute_not_exists(#v)' : '#v = :current',
        ExpressionAttributeNames: { '#v': 'version', '#at': 'updatedAt' },
        ExpressionAttributeValues: { ':next': setVersion + 1, ':at': atIso, ...(setVersion === 0 ? {} : { ':current': setVersion }) },
      },
    };
  }
}

/** Positions of the items in a policy write transaction, to tell cancellation reasons apart. */
export const POLICY_WRITE_ITEMS = { policy: 0, setVersion: 1 } as const;

function toRecord(item: Record<string, unknown>): PolicyRecord {
  const { pk: _pk, sk: _sk, kind: _kind, sortKey: _sortKey, ...rest } = item;
  return rest as unknown as PolicyRecord;
}

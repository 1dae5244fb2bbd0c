import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ITEM, KIND } from '../store/keys';
import { transactWrite, type TransactWriteItem } from '../store/transactions';
import type { Action } from '../policy';
import { APPROVAL_LIMITS, type AccessRequestRecord, type Approval, type Grant } from './model';

const DAY_SECONDS = 24 * 60 * 60;
const ttlAfter = (ms: number, days: number) => Math.ceil(ms / 1000) + days * DAY_SECONDS;

/** The request's item fields that are not the record (keys, index and TTL attributes). */
const NOT_RECORD = new Set(['pk', 'sk', 'kind', 'sortKey', 'ttl']);

/**
 * Access requests and grants in the vault table. Every decision is one transaction: the request's
 * update, conditioned on the state it was computed from (status, deadline, votes so far), the grant
 * items it creates or removes, and the audit event. Two concurrent decisions therefore never both
 * land: the second one's condition fails.
 */
export class AccessRequestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The id of the secret at `path` (its path reservation), if any. */
  async secretIdAt(path: string): Promise<string | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.path(path), ConsistentRead: true }));
    return typeof out.Item?.secretId === 'string' ? out.Item.secretId : undefined;
  }

  async get(id: string): Promise<AccessRequestRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.accessRequest(id), ConsistentRead: true }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  /** The newest requests first, at most `APPROVAL_LIMITS.listReadBudget`, kept when `keep` says so, until `limit` are kept. */
  async newest(keep: (request: AccessRequestRecord) => boolean, limit: number): Promise<AccessRequestRecord[]> {
    const kept: AccessRequestRecord[] = [];
    let read = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byKind',
          KeyConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#k': 'kind' },
          ExpressionAttributeValues: { ':k': KIND.accessRequest },
          ScanIndexForward: false,
          Limit: 200,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        read++;
        const request = toRecord(item);
        if (keep(request)) kept.push(request);
        if (kept.length >= limit) return kept;
      }
      start = out.LastEvaluatedKey;
    } while (start && read < APPROVAL_LIMITS.listReadBudget);
    return kept;
  }

  async create(request: AccessRequestRecord, audit: TransactWriteItem): Promise<void> {
    await transactWrite(this.db, [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...ITEM.accessRequest(request.id),
            kind: KIND.accessRequest,
            sortKey: `${request.createdAt}#${request.id}`,
            ttl: ttlAfter(request.pendingUntil, APPROVAL_LIMITS.keepDays),
            ...request,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      audit,
    ]);
  }

  /** Records one approval that does not yet reach `minApprovals`. */
  async addApproval(request: AccessRequestRecord, approval: Approval, nowMs: number, audit: TransactWriteItem): Promise<void> {
    await transactWrite(this.db, [
      this.decision(request, nowMs, 'SET #ap = list_append(#ap, :ap), #ab = list_append(#ab, :ab)', { ':ap': [approval], ':ab': [approval.by] }),
      audit,
    ]);
  }

  /** Records the approval that reaches `minApprovals`: the request becomes approved and its grants exist. */
  async approve(request: AccessRequestRecord, approval: Approval, grantUntil: number, nowMs: number, audit: TransactWriteItem): Promise<void> {
    const update = this.decision(
      request,
      nowMs,
      'SET #ap = list_append(#ap, :ap), #ab = list_append(#ab, :ab), #s = :approved, #gu = :gu, #da = :at, #db = :by, #ttl = :ttl',
      {
        ':ap': [approval],
        ':ab': [approval.by],
        ':approved': 'approved',
        ':gu': grantUntil,
        ':at': approval.at,
        ':by': approval.by,
        ':ttl': ttlAfter(grantUntil, APPROVAL_LIMITS.keepDays),
      },
      { '#gu': 'grantUntil', '#da': 'decidedAt', '#db': 'decidedBy', '#ttl': 'ttl' },
    );
    const grants: TransactWriteItem[] = request.actions.map((action) => ({
      Put: {
        TableName: this.table,
        Item: {
          ...ITEM.grant(request.requester, request.secretId, action),
          requestId: request.id,
          principal: request.requester,
          ...(request.requesterSub !== undefined ? { sub: request.requesterSub } : {}),
          secretId: request.secretId,
          path: request.path,
          action,
          expiresAt: grantUntil,
          ttl: Math.ceil(grantUntil / 1000),
        } satisfies Grant & Record<string, unknown>,
      },
    }));
    await transactWrite(this.db, [update, ...grants, audit]);
  }

  async deny(request: AccessRequestRecord, by: string, at: string, comment: string | undefined, nowMs: number, audit: TransactWriteItem): Promise<void> {
    const set = `SET #s = :denied, #da = :at, #db = :by${comment !== undefined ? ', #c = :c' : ''}`;
    const values: Record<string, unknown> = { ':denied': 'denied', ':at': at, ':by': by, ...(comment !== undefined ? { ':c': comment } : {}) };
    const names: Record<string, string> = { '#da': 'decidedAt', '#db': 'decidedBy', ...(comment !== undefined ? { '#c': 'comment' } : {}) };
    await transactWrite(this.db, [this.decision(request, nowMs, set, values, names), audit]);
  }

  /** Withdraws a pending request, or ends an approved one early (its grants go with it). */
  async withdraw(request: AccessRequestRecord, at: string, nowMs: number, audit: TransactWriteItem): Promise<void> {
    const approved = request.status === 'approved';
    const update: TransactWriteItem = {
      Update: {
        TableName: this.table,
        Key: ITEM.accessRequest(request.id),
        UpdateExpression: 'SET #s = :withdrawn, #wa = :at',
        ConditionExpression: approved ? '#s = :was AND #gu > :now' : '#s = :was AND #pu > :now AND size(#ab) = :n',
        ExpressionAttributeNames: { '#s': 'status', '#wa': 'withdrawnAt', ...(approved ? { '#gu': 'grantUntil' } : { '#pu': 'pendingUntil', '#ab': 'approvedBy' }) },
        ExpressionAttributeValues: { ':withdrawn': 'withdrawn', ':at': at, ':was': request.status, ':now': nowMs, ...(approved ? {} : { ':n': request.approvedBy.length }) },
      },
    };
    // Only the grant items this request still owns: a later approved request may have replaced one.
    const owned = approved ? (await this.grantsOn(request.requester, request.secretId)).filter((g) => g.requestId === request.id) : [];
    const grants: TransactWriteItem[] = owned.map((grant) => ({
      Delete: { TableName: this.table, Key: ITEM.grant(request.requester, request.secretId, grant.action), ConditionExpression: '#r = :id', ExpressionAttributeNames: { '#r': 'requestId' }, ExpressionAttributeValues: { ':id': request.id } },
    }));
    await transactWrite(this.db, [update, ...grants, audit]);
  }

  /** The grant `principal` holds for `action` on the secret, if one was stored (expired or not: the caller checks). */
  async grant(principal: string, secretId: string, action: Action): Promise<Grant | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.grant(principal, secretId, action), ConsistentRead: true }));
    return out.Item as Grant | undefined;
  }

  /** Every grant item `principal` holds on the secret (expired or not: the caller checks), with one consistent Query. */
  async grantsOn(principal: string, secretId: string): Promise<Grant[]> {
    const { pk } = ITEM.grant(principal, secretId, '');
    const out = await this.db.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }),
    );
    return (out.Items ?? []) as Grant[];
  }

  /** An update of a pending request, conditioned on what the decision was computed from. */
  private decision(
    request: AccessRequestRecord,
    nowMs: number,
    set: string,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ): TransactWriteItem {
    return {
      Update: {
        TableName: this.table,
        Key: ITEM.accessRequest(request.id),
        UpdateExpression: set,
        ConditionExpression: '#s = :pending AND #pu > :now AND size(#ab) = :n',
        ExpressionAttributeNames: { '#s': 'status', '#pu': 'pendingUntil', '#ab': 'approvedBy', ...(set.includes('#ap') ? { '#ap': 'approvals' } : {}), ...names },
        ExpressionAttributeValues: { ':pending': 'pending', ':now': nowMs, ':n': request.approvedBy.length, ...values },
      },
    };
  }
}

function toRecord(item: Record<string, unknown>): AccessRequestRecord {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !NOT_RECORD.has(key))) as unknown as AccessRequestRecord;
}

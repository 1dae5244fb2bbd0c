import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CursorSeal } from '../secrets/CursorSeal';
import { ITEM, KIND } from '../store/keys';
import { transactWrite, type TransactWriteItem } from '../store/transactions';
import type { Action } from '../policy';
import { APPROVAL_LIMITS, type AccessRequestRecord, type Approval, type Grant } from './model';

const DAY_SECONDS = 24 * 60 * 60;
const ttlAfter = (ms: number, days: number) => Math.ceil(ms / 1000) + days * DAY_SECONDS;

/** Requests one Query reads at most. */
const QUERY_PAGE = 200;

/** Where a listing stopped: the table's key and the `byKind` index's key of the last request read. */
const POSITION = ['pk', 'sk', 'kind', 'sortKey'] as const;
const positionOf = (item: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(POSITION.map((f) => [f, item[f]]));

/** One listing call's requests, and where the next call goes on when more may follow. */
export interface NewestRequests {
  records: AccessRequestRecord[];
  nextCursor?: string;
}

/** The request's item fields that are not the record (keys, index and TTL attributes). */
const NOT_RECORD = new Set(['pk', 'sk', 'kind', 'sortKey', 'ttl']);

/**
 * Access requests and grants in the vault table. Every decision is one transaction: the request's
 * update, conditioned on the state it was computed from (status, deadline, votes so far), the grant
 * items it creates or removes, and the audit event. Two concurrent decisions therefore never both
 * land: the second one's condition fails.
 */
export class AccessRequestStore {
  private readonly cursors: CursorSeal;

  /**
   * @param cursorKey - seals listing cursors (`OTPVAULT_CURSOR_KEY`); see CursorSeal.
   * @param readBudget - most requests one listing call reads. @default APPROVAL_LIMITS.listReadBudget
   */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    cursorKey?: string,
    private readonly readBudget: number = APPROVAL_LIMITS.listReadBudget,
  ) {
    this.cursors = new CursorSeal(cursorKey);
  }

  /** The id of the secret at `path` (its path reservation), if any. */
  async secretIdAt(path: string): Promise<string | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.path(path), ConsistentRead: true }));
    return typeof out.Item?.secretId === 'string' ? out.Item.secretId : undefined;
  }

  async get(id: string): Promise<AccessRequestRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.accessRequest(id), ConsistentRead: true }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  /**
   * The newest requests first, kept when `keep` says so, until `page.limit` are kept or the read
   * budget is spent. `nextCursor` (sealed for `page.binding`) resumes right after the last request
   * read whenever more may follow, so a listing filtered after reading (most requests are other
   * people's) still reaches every match, a bounded read at a time.
   *
   * @param page - `binding` names who lists and with which filters: a cursor opens only for the same one.
   * @throws InvalidInputError for a cursor this listing did not hand out.
   */
  async newest(keep: (request: AccessRequestRecord) => boolean, page: { limit: number; cursor?: string; binding: string }): Promise<NewestRequests> {
    const kept: AccessRequestRecord[] = [];
    let read = 0;
    let start: Record<string, unknown> | undefined = page.cursor === undefined ? undefined : this.cursors.openKey(page.cursor, page.binding, POSITION);
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byKind',
          KeyConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#k': 'kind' },
          ExpressionAttributeValues: { ':k': KIND.accessRequest },
          ScanIndexForward: false,
          Limit: Math.min(QUERY_PAGE, this.readBudget - read),
          ExclusiveStartKey: start,
        }),
      );
      const items = out.Items ?? [];
      for (const [index, item] of items.entries()) {
        read++;
        const request = toRecord(item);
        if (keep(request)) kept.push(request);
        if (kept.length >= page.limit || read >= this.readBudget) {
          const more = index < items.length - 1 || out.LastEvaluatedKey !== undefined;
          return { records: kept, ...(more ? { nextCursor: this.cursors.seal(positionOf(item), page.binding) } : {}) };
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return { records: kept };
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

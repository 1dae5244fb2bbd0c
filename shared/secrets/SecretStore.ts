import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ITEM, KIND } from '../store/keys';
import { VAULT_TABLE } from '../store/tables';
import { updateOrNothing } from '../store/conditional';
import { queryAll } from '../store/queryAll';
import { transactWrite, type TransactWriteItem } from '../store/transactions';
import { ConsistentReads } from '../store/ConsistentReads';
import { CursorSeal } from './CursorSeal';
import type { Handout, OtpSummary, RecoveryRecord, RecoverySummary, SecretRecord, SeedRecord } from './model';

const INDEX = VAULT_TABLE.indexes[0];

export interface SecretPage {
  items: SecretRecord[];
  nextCursor?: string;
}

/** Where a secret is: all a listing of paths reads. */
export interface SecretLocation {
  id: string;
  path: string;
}

export interface ListQuery {
  prefix?: string;
  path?: string;
  limit: number;
  cursor?: string;
  /** Who lists: a cursor made for one caller is refused to another. */
  caller?: string;
}

/** Persistence of secrets in the vault table. Every write that changes state carries its audit item. */
export class SecretStore {
  private readonly cursors: CursorSeal;

  /**
   * @param cursorKey - seals listing cursors (`OTPVAULT_CURSOR_KEY`); see CursorSeal.
   * @param reads - shared with the policy store, so a request's decision reads go out as one batch.
   */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    cursorKey?: string,
    private readonly reads = new ConsistentReads(db, table),
  ) {
    this.cursors = new CursorSeal(cursorKey);
  }

  async get(id: string): Promise<SecretRecord | undefined> {
    const item = await this.reads.get(ITEM.secret(id));
    return item ? toSecret(item) : undefined;
  }

  async getSeed(id: string): Promise<SeedRecord | undefined> {
    return (await this.reads.get(ITEM.seed(id))) as SeedRecord | undefined;
  }

  /** Who had a TOTP code of the secret first in the latest step anyone asked for (written by `CodeHandouts`). */
  async getLastCode(id: string): Promise<Handout | undefined> {
    const item = await this.reads.get(ITEM.lastCode(id));
    return item ? { timeStep: Number(item.timeStep), principal: String(item.principal), at: String(item.at) } : undefined;
  }

  /** How many recovery codes are left, without reading their ciphertexts. */
  async recoveryRemaining(id: string): Promise<number | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: ITEM.recovery(id),
        ProjectionExpression: '#t, #n',
        ExpressionAttributeNames: { '#t': 'total', '#n': 'next' },
        ConsistentRead: true,
      }),
    );
    return out.Item ? (out.Item.total as number) - (out.Item.next as number) : undefined;
  }

  async list(query: ListQuery): Promise<SecretPage> {
    const names: Record<string, string> = { '#kind': 'kind' };
    const values: Record<string, unknown> = { ':kind': KIND.secret };
    let condition = '#kind = :kind';
    if (query.path !== undefined) {
      names['#sort'] = 'sortKey';
      values[':path'] = query.path;
      condition += ' AND #sort = :path';
    } else if (query.prefix !== undefined) {
      names['#sort'] = 'sortKey';
      values[':prefix'] = query.prefix;
      condition += ' AND begins_with(#sort, :prefix)';
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEX.name,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: query.limit,
        ExclusiveStartKey: query.cursor ? this.cursors.openKey(query.cursor, cursorBinding(query), ['pk', 'sk', 'kind', 'sortKey']) : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map(toSecret),
      nextCursor: out.LastEvaluatedKey ? this.cursors.seal(out.LastEvaluatedKey, cursorBinding(query)) : undefined,
    };
  }

  /** A cursor that resumes a listing right after `secret` (for listings filtered after reading). */
  cursorAfter(secret: Pick<SecretRecord, 'id' | 'path'>, query: Omit<ListQuery, 'limit' | 'cursor'>): string {
    return this.cursors.seal({ ...ITEM.secret(secret.id), kind: KIND.secret, sortKey: secret.path }, cursorBinding(query));
  }

  /**
   * The id and path of every secret, optionally under a path prefix, in path order: reads only
   * those two attributes from the `byKind` index (a projection), page after page.
   */
  async listPaths(prefix?: string): Promise<SecretLocation[]> {
    const names: Record<string, string> = { '#kind': 'kind', '#sort': 'sortKey', '#id': 'id' };
    const values: Record<string, unknown> = { ':kind': KIND.secret };
    let condition = '#kind = :kind';
    if (prefix !== undefined && prefix !== '') {
      values[':prefix'] = prefix;
      condition += ' AND begins_with(#sort, :prefix)';
    }
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: INDEX.name,
      KeyConditionExpression: condition,
      ProjectionExpression: '#id, #sort',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return items.map((item) => ({ id: item.id as string, path: item.sortKey as string }));
  }

  /** Creates the secret, reserving its path; fails on either condition if taken. */
  async create(secret: SecretRecord, seed: SeedRecord | undefined, recovery: RecoveryRecord | undefined, audit: TransactWriteItem): Promise<void> {
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...ITEM.path(secret.path), secretId: secret.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: { ...ITEM.secret(secret.id), kind: KIND.secret, sortKey: secret.path, ...secret },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (seed) items.push({ Put: { TableName: this.table, Item: { ...ITEM.seed(secret.id), ...seed } } });
    if (recovery) items.push({ Put: { TableName: this.table, Item: { ...ITEM.recovery(secret.id), ...recovery } } });
    items.push(audit);
    await transactWrite(this.db, items);
  }

  async delete(secret: SecretRecord, audit: TransactWriteItem): Promise<void> {
    await transactWrite(this.db, [
      {
        Delete: {
          TableName: this.table,
          Key: ITEM.secret(secret.id),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': secret.version },
        },
      },
      { Delete: { TableName: this.table, Key: ITEM.seed(secret.id) } },
      { Delete: { TableName: this.table, Key: ITEM.recovery(secret.id) } },
      { Delete: { TableName: this.table, Key: ITEM.path(secret.path) } },
      audit,
    ]);
  }

  /** Swaps in a new seed and its summary, if nobody changed the secret since `secret` was read. */
  async replaceSeed(secret: SecretRecord, seed: SeedRecord, summary: OtpSummary, audit: TransactWriteItem): Promise<void> {
    await transactWrite(this.db, [
      { Put: { TableName: this.table, Item: { ...ITEM.seed(secret.id), ...seed } } },
      this.touch(secret, '#otp = :otp', { '#otp': 'otp' }, { ':otp': summary }, summary.updatedAt, summary.updatedBy),
      audit,
    ]);
  }

  async replaceRecovery(secret: SecretRecord, recovery: RecoveryRecord, summary: RecoverySummary, audit: TransactWriteItem): Promise<void> {
    await transactWrite(this.db, [
      { Put: { TableName: this.table, Item: { ...ITEM.recovery(secret.id), ...recovery } } },
      this.touch(secret, '#rec = :rec', { '#rec': 'recovery' }, { ':rec': summary }, summary.updatedAt, summary.updatedBy),
      audit,
    ]);
  }

  /** Marks the secret for alerts on use (or not), if nobody changed it since `secret` was read. */
  async setAlertOnUse(secret: SecretRecord, on: boolean, at: string, by: string, audit: TransactWriteItem): Promise<void> {
    await transactWrite(this.db, [this.touch(secret, '#al = :al', { '#al': 'alertOnUse' }, { ':al': on }, at, by), audit]);
  }

  /** Takes the current HOTP counter and moves it on, atomically; returns the seed as it was. */
  async takeCounter(secretId: string): Promise<SeedRecord | undefined> {
    return (await updateOrNothing(this.db, {
      TableName: this.table,
      Key: ITEM.seed(secretId),
      UpdateExpression: 'SET #c = #c + :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#c': 'counter' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'ALL_OLD',
    })) as SeedRecord | undefined;
  }

  /**
   * Claims the next unused recovery code, atomically. Returns the set as it is after the claim
   * (so the claimed index is `next - 1`), or `undefined` when every code has been used.
   */
  async claimRecoveryCode(secretId: string): Promise<RecoveryRecord | undefined> {
    return (await updateOrNothing(this.db, {
      TableName: this.table,
      Key: ITEM.recovery(secretId),
      UpdateExpression: 'SET #n = #n + :one',
      ConditionExpression: 'attribute_exists(pk) AND #n < #t',
      ExpressionAttributeNames: { '#n': 'next', '#t': 'total' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'ALL_NEW',
    })) as RecoveryRecord | undefined;
  }

  private touch(
    secret: SecretRecord,
    set: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    at: string,
    by: string,
  ): TransactWriteItem {
    return {
      Update: {
        TableName: this.table,
        Key: ITEM.secret(secret.id),
        UpdateExpression: `SET ${set}, #ua = :ua, #ub = :ub, #v = :next`,
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { ...names, '#ua': 'updatedAt', '#ub': 'updatedBy', '#v': 'version' },
        ExpressionAttributeValues: { ...values, ':ua': at, ':ub': by, ':v': secret.version, ':next': secret.version + 1 },
      },
    };
  }
}

function toSecret(item: Record<string, unknown>): SecretRecord {
  const { pk: _pk, sk: _sk, kind: _kind, sortKey: _sortKey, ...rest } = item;
  return rest as unknown as SecretRecord;
}

/** What a cursor is bound to: the caller and the listing's filter. */
function cursorBinding(query: Pick<ListQuery, 'caller' | 'prefix' | 'path'>): string {
  return JSON.stringify([query.caller ?? '', query.prefix ?? null, query.path ?? null]);
}

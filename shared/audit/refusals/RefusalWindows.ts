import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../../store/queryAll';
import { refusalShardPk } from '../../store/keys';
import { updateOrNothing } from '../../store/conditional';
import { transactWrite } from '../../store/transactions';
import type { AuditOutbox } from '../AuditOutbox';
import type { AuditActor } from '../event';
import { firstOpenMinute, oldestUnexpiredMinute, REFUSAL_WINDOW, summaryEvent, windowOf, type Refusal, type RefusalWindow } from './window';

/** Counts refusals per source and minute (see `window.ts`). */
export interface RefusalCounter {
  /**
   * Counts one refusal in its window, at once (one atomic update).
   *
   * @returns `first` when this refusal opened the window: it is to be audited on its own.
   * @throws whatever kept the window from being written (throttling, ...): the caller audits the refusal on its own.
   */
  count(refusal: Refusal, now: number): Promise<{ first: boolean }>;
}

/** What became of one closed window in a sweep. */
export type SummaryOutcome = 'summarized' | 'changed';

/**
 * The refusal windows, items of the vault table (`ITEM.refusalWindow`). Each refusal is one
 * UpdateItem; each closed window with repeats becomes one summary event, written to the audit
 * outbox in the transaction that deletes the window.
 *
 * @example
 * const windows = new RefusalWindows(db, VAULT_TABLE.localName);
 * const { first } = await windows.count({ sourceIp, reason, routeKey, userAgent }, clock.now());
 */
export class RefusalWindows implements RefusalCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async count(refusal: Refusal, now: number): Promise<{ first: boolean }> {
    const window = windowOf(refusal, now);
    // Every attribute by placeholder: several of these names are DynamoDB reserved words (MINUTE, COUNT, TTL...).
    const names = {
      '#count': 'count', '#ttl': 'ttl', '#minute': 'minute', '#first': 'firstAt', '#last': 'lastAt',
      '#ip': 'sourceIp', '#actor': 'actor', '#ua': 'userAgent',
    };
    const counted =
      'SET #first = if_not_exists(#first, :at), #last = :at, #ttl = if_not_exists(#ttl, :ttl), #minute = if_not_exists(#minute, :minute), ' +
      '#ip = if_not_exists(#ip, :ip), #actor = if_not_exists(#actor, :actor), #ua = if_not_exists(#ua, :ua)';
    const values = { ':at': window.at, ':ttl': window.ttl, ':minute': window.minute, ':ip': window.sourceIp, ':actor': window.actor, ':ua': window.userAgent, ':one': 1 };
    const base: Pick<UpdateCommandInput, 'TableName' | 'Key' | 'ReturnValues'> = { TableName: this.tableName, Key: window.key, ReturnValues: 'UPDATED_NEW' };
    // The reason and route join their sets only while the sets have room (or hold them already)...
    const withSets = await updateOrNothing(this.db, {
      ...base,
      UpdateExpression: `${counted} ADD #count :one, #reasons :reasonSet, #routes :routeSet`,
      ConditionExpression:
        '(attribute_not_exists(#reasons) OR contains(#reasons, :reason) OR size(#reasons) < :maxReasons) AND ' +
        '(attribute_not_exists(#routes) OR contains(#routes, :route) OR size(#routes) < :maxRoutes)',
      ExpressionAttributeNames: { ...names, '#reasons': 'reasons', '#routes': 'routeKeys' },
      ExpressionAttributeValues: {
        ...values,
        ':reasonSet': new Set([window.reason]),
        ':routeSet': new Set([window.routeKey]),
        ':reason': window.reason,
        ':route': window.routeKey,
        ':maxReasons': REFUSAL_WINDOW.maxReasons,
        ':maxRoutes': REFUSAL_WINDOW.maxRouteKeys,
      },
    });
    // ...otherwise the refusal is still counted, and the window says something was left out.
    const attributes =
      withSets ??
      (await updateOrNothing(this.db, {
        ...base,
        UpdateExpression: `${counted}, #truncated = :true ADD #count :one`,
        ExpressionAttributeNames: { ...names, '#truncated': 'truncated' },
        ExpressionAttributeValues: { ...values, ':true': true },
      }));
    return { first: attributes?.count === 1 };
  }

  /**
   * The closed windows (minutes before `firstOpenMinute(now)`, back to `oldestUnexpiredMinute(now)`)
   * that counted more than one refusal, every shard, read consistently. Windows of a single refusal
   * are left to expire.
   */
  async closedWithRepeats(now: number): Promise<RefusalWindow[]> {
    const open = firstOpenMinute(now);
    const oldest = oldestUnexpiredMinute(now);
    const shards = Array.from({ length: REFUSAL_WINDOW.shards }, (_, shard) => shard);
    const pages = await Promise.all(
      shards.map((shard) =>
        queryAll(this.db, {
          TableName: this.tableName,
          // Sort keys start with the minute: `<minute>#…` sorts after `<minute>`, so the open minute is left out.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :oldest AND :open',
          FilterExpression: '#count > :one',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':pk': refusalShardPk(shard), ':oldest': oldest, ':open': open, ':one': 1 },
          ConsistentRead: true,
        }),
      ),
    );
    return pages.flat().map(windowFromItem);
  }

  /**
   * Writes the window's summary event and deletes the window, in one transaction that holds only
   * while the window is still there with the count that was read: two sweeps of one window write
   * one summary, and a refusal counted meanwhile leaves the window for the next sweep.
   *
   * @returns `changed` when the window was gone or had changed (nothing written).
   */
  async summarize(window: RefusalWindow, outbox: AuditOutbox, now: number): Promise<SummaryOutcome> {
    try {
      await transactWrite(this.db, [
        {
          Delete: {
            TableName: this.tableName,
            Key: { pk: window.pk, sk: window.sk },
            ConditionExpression: '#count = :count',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':count': window.count },
          },
        },
        outbox.transactItem(summaryEvent(window, now)),
      ]);
      return 'summarized';
    } catch (error) {
      // A failed condition, or another sweep's transaction on the same window (TransactionConflict).
      if (error instanceof TransactionCanceledException) return 'changed';
      throw error;
    }
  }
}

function windowFromItem(item: Record<string, unknown>): RefusalWindow {
  const set = (value: unknown): string[] => (value instanceof Set ? [...(value as Set<string>)] : []);
  return {
    pk: String(item.pk),
    sk: String(item.sk),
    minute: String(item.minute),
    sourceIp: String(item.sourceIp),
    actor: item.actor as AuditActor,
    userAgent: String(item.userAgent ?? ''),
    count: Number(item.count),
    firstAt: String(item.firstAt),
    lastAt: String(item.lastAt),
    reasons: set(item.reasons),
    routeKeys: set(item.routeKeys),
    truncated: item.truncated === true,
  };
}

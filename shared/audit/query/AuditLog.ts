import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../event';
import { AUDIT_KEYS, auditEventOf, dayPartition } from './auditItem';
import type { Position } from './cursor';
import { AUDIT_QUERY_LIMITS } from './limits';
import type { QueryPlan } from './plan';

/** One page of events, newest first, and where the next one starts (none: the range is exhausted). */
export interface AuditPage {
  events: AuditEvent[];
  next?: Position;
  /** Items DynamoDB read for this page (more than `events` when a filter dropped some). */
  evaluated: number;
}

/**
 * Reads the audit table (written only by the stream consumer). Every read is a Query, newest
 * first: one partition of an index, or the day partitions of the table one after the other.
 */
export class AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Reads up to `limit` events from `position`. With a filter, DynamoDB reads items that then do
   * not match; after `maxCallsPerPage` calls the page ends early, short but with a position to go on.
   *
   * @param plan - What to read (see `planQuery`).
   * @param position - Where to start; `{ dayIndex: 0 }` for the first page.
   * @param limit - Most events to return.
   */
  async page(plan: QueryPlan, position: Position, limit: number): Promise<AuditPage> {
    const events: AuditEvent[] = [];
    let evaluated = 0;
    let at: Position | undefined = position;
    for (let calls = 0; at && events.length < limit && calls < AUDIT_QUERY_LIMITS.maxCallsPerPage; calls++) {
      const wanted = limit - events.length;
      // Unfiltered, read exactly what is missing; filtered, read a batch and cut it at the last kept event.
      const batch = plan.filter ? Math.max(wanted, AUDIT_QUERY_LIMITS.filteredBatch) : wanted;
      const out: QueryCommandOutput = await this.db.send(new QueryCommand(this.queryInput(plan, at, batch)));
      evaluated += out.ScannedCount ?? 0;
      const items = out.Items ?? [];
      if (items.length > wanted) {
        const kept = items.slice(0, wanted);
        events.push(...kept.map(auditEventOf));
        return { events, next: { dayIndex: at.dayIndex, key: this.keyOf(plan, kept[kept.length - 1] as Record<string, unknown>) }, evaluated };
      }
      events.push(...items.map(auditEventOf));
      at = out.LastEvaluatedKey
        ? { dayIndex: at.dayIndex, key: out.LastEvaluatedKey as Record<string, string> }
        : this.nextDay(plan, at);
    }
    return { events, ...(at && { next: at }), evaluated };
  }

  private nextDay(plan: QueryPlan, at: Position): Position | undefined {
    return at.dayIndex + 1 < plan.days.length ? { dayIndex: at.dayIndex + 1 } : undefined;
  }

  private queryInput(plan: QueryPlan, at: Position, limit: number): QueryCommandInput {
    const names: Record<string, string> = { ...plan.filter?.names };
    const values: Record<string, string> = { ...plan.filter?.values };
    if (plan.source.kind === 'index') {
      names['#pk'] = plan.source.index.key;
      values[':pk'] = plan.source.value;
    } else {
      names['#pk'] = AUDIT_KEYS.partition;
      values[':pk'] = dayPartition(plan.days[at.dayIndex] as string);
    }
    const { from, to } = plan.range;
    // Sort keys are `<time>#<id>`: none equals a bare time, so BETWEEN from AND to is [from, to).
    let range = '';
    if (from !== undefined) values[':from'] = from;
    if (to !== undefined) values[':to'] = to;
    if (from !== undefined || to !== undefined) names['#sk'] = AUDIT_KEYS.sort;
    if (from !== undefined && to !== undefined) range = ' AND #sk BETWEEN :from AND :to';
    else if (from !== undefined) range = ' AND #sk >= :from';
    else if (to !== undefined) range = ' AND #sk < :to';
    return {
      TableName: this.tableName,
      ...(plan.source.kind === 'index' && { IndexName: plan.source.index.name }),
      KeyConditionExpression: `#pk = :pk${range}`,
      ...(plan.filter && { FilterExpression: plan.filter.expression }),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: limit,
      ...(at.key && { ExclusiveStartKey: at.key }),
    };
  }

  /** ExclusiveStartKey that resumes right after `item`: the table key, plus the index key if any. */
  private keyOf(plan: QueryPlan, item: Record<string, unknown>): Record<string, string> {
    const key: Record<string, string> = { pk: String(item.pk), sk: String(item.sk) };
    if (plan.source.kind === 'index') key[plan.source.index.key] = String(item[plan.source.index.key]);
    return key;
  }
}

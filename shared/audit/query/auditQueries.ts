import { TooLargeError } from '../../errors';
import type { AuditEvent } from '../event';
import type { AuditLog } from './AuditLog';
import { decodeCursor, encodeCursor, type Position } from './cursor';
import { AUDIT_EXPORT_LIMITS, AUDIT_QUERY_LIMITS } from './limits';
import { planQuery, sourceName, type QueryPlan } from './plan';
import type { AuditQueryParams } from './schema';

/** One page of `GET /v1/audit`. */
export interface AuditQueryAnswer {
  /** Newest first. */
  items: AuditEvent[];
  /** Present while more may follow; a filtered page may be short (or empty) and still have one. */
  nextCursor?: string;
  /** The range searched (both ends when searching by time; an open end reads all history of the key). */
  from: string | null;
  to: string | null;
  /** How the table was read: `byActor`, `bySecret`, `byPath` or `byDay`. */
  source: string;
}

/**
 * Answers one page of an audit query.
 *
 * @param log - The audit table.
 * @param params - Filters, page size and cursor.
 * @param now - Epoch milliseconds, for the default range.
 * @throws InvalidInputError for a bad range or cursor.
 * @example
 * const page = await queryAudit(deps.auditLog, { actor: 'user:alice', limit: 100 }, Date.now());
 */
export async function queryAudit(log: AuditLog, params: AuditQueryParams, now: number): Promise<AuditQueryAnswer> {
  const { plan, position } = params.cursor
    ? decodeCursor(params.cursor, params, now)
    : { plan: planQuery(params, now), position: { dayIndex: 0 } };
  const page = await log.page(plan, position, params.limit ?? AUDIT_QUERY_LIMITS.defaultLimit);
  return {
    items: page.events,
    ...(page.next && { nextCursor: encodeCursor(plan, page.next) }),
    from: plan.range.from ?? null,
    to: plan.range.to ?? null,
    source: sourceName(plan.source),
  };
}

/**
 * Every event of a range, newest first, for an export or a reconciliation.
 *
 * @param log - The audit table.
 * @param plan - What to read.
 * @param maxRows - More events than this is refused.
 * @throws TooLargeError beyond `maxRows` events or `AUDIT_EXPORT_LIMITS.maxEvaluated` items read.
 */
export async function collectAudit(log: Pick<AuditLog, 'page'>, plan: QueryPlan, maxRows: number = AUDIT_EXPORT_LIMITS.maxRows): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let evaluated = 0;
  for (let at: Position | undefined = { dayIndex: 0 }; at; ) {
    const page = await log.page(plan, at, Math.min(AUDIT_QUERY_LIMITS.maxLimit, maxRows + 1 - events.length));
    events.push(...page.events);
    evaluated += page.evaluated;
    if (events.length > maxRows) {
      throw new TooLargeError(
        `the range holds more than ${maxRows} audit events, more than one export may hold; narrow from/to or add a filter (actor, secretId, path, action, result)`,
        { limit: maxRows },
      );
    }
    if (evaluated > AUDIT_EXPORT_LIMITS.maxEvaluated) {
      throw new TooLargeError(
        `the range holds too many audit events to search (more than ${AUDIT_EXPORT_LIMITS.maxEvaluated} read); narrow from/to or filter by actor, secretId or path`,
        { limit: AUDIT_EXPORT_LIMITS.maxEvaluated },
      );
    }
    at = page.next;
  }
  return events;
}

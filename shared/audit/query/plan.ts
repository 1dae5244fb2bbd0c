import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../errors';
import { AUDIT_INDEXES, dayOf, type AuditIndex } from './auditItem';
import { AUDIT_QUERY_LIMITS } from './limits';
import type { AuditFilters } from './schema';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A time range of events: `from` inclusive, `to` exclusive (ISO 8601 UTC, as event times are written). */
export interface TimeRange {
  from?: string;
  to?: string;
}

/** Where the events are read from: one partition of an index, or the day partitions of the table. */
export type QuerySource = { kind: 'index'; index: AuditIndex; value: string } | { kind: 'days' };

/** A DynamoDB FilterExpression with its names and values. */
export interface FilterClause {
  expression: string;
  names: Record<string, string>;
  values: Record<string, string>;
}

/** How one query reads the audit table. */
export interface QueryPlan {
  source: QuerySource;
  /** Both ends for the day walk; for an index, what the caller gave (an open end reads all history). */
  range: TimeRange;
  /** Day partitions (`YYYY-MM-DD`), newest first; empty for an index query. */
  days: string[];
  /** Conditions DynamoDB applies after reading (action, result, lookup keys beyond the one queried). */
  filter?: FilterClause;
  /** Fingerprint of the filters as the caller gave them; a cursor is honoured only for the same one. */
  fingerprint: string;
}

/** Name of the source, as reported to callers and in the audit details. */
export function sourceName(source: QuerySource): string {
  return source.kind === 'index' ? source.index.name : 'byDay';
}

/**
 * Plans a query. The narrowest lookup key given picks the index (secretId, then path, then actor:
 * a secret's events are a subset of few actors' and paths'); the other keys, `action` and `result`
 * become a filter. Without a lookup key the table's day partitions are walked newest first, so the
 * range must be bounded: at most `maxTimeWalkDays`, the last `defaultWindowHours` by default.
 *
 * @param filters - The caller's filters (times already normalised to ISO UTC).
 * @param now - Epoch milliseconds, for the default range.
 * @param resumed - The range a cursor carries: a later page keeps the first page's range.
 * @throws InvalidInputError when the range is empty or too long to walk by day.
 * @example
 * const plan = planQuery({ actor: 'user:alice' }, Date.now());
 */
export function planQuery(filters: AuditFilters, now: number, resumed?: TimeRange): QueryPlan {
  const source = sourceOf(filters);
  const range = resumed ?? (source.kind === 'days' ? defaultRange(filters, now) : { from: filters.from, to: filters.to });
  checkRange(range, source);
  return {
    source,
    range,
    days: source.kind === 'days' ? daysNewestFirst(range.from as string, range.to as string) : [],
    filter: filterOf(filters, source),
    fingerprint: fingerprint(filters),
  };
}

function sourceOf(filters: AuditFilters): QuerySource {
  if (filters.secretId !== undefined) return { kind: 'index', index: AUDIT_INDEXES.secretId, value: filters.secretId };
  if (filters.path !== undefined) return { kind: 'index', index: AUDIT_INDEXES.path, value: filters.path };
  if (filters.actor !== undefined) return { kind: 'index', index: AUDIT_INDEXES.actor, value: filters.actor };
  return { kind: 'days' };
}

/** Without a lookup key: the given ends, `to` = now and `from` = `to` − the default window otherwise. */
function defaultRange(filters: AuditFilters, now: number): Required<TimeRange> {
  const to = filters.to ?? new Date(now).toISOString();
  const from = filters.from ?? new Date(Date.parse(to) - AUDIT_QUERY_LIMITS.defaultWindowHours * HOUR_MS).toISOString();
  return { from, to };
}

function checkRange(range: TimeRange, source: QuerySource): void {
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to) {
    throw new InvalidInputError('from must be before to (from is inclusive, to exclusive)', { field: 'from' });
  }
  if (source.kind !== 'days') return;
  const spanMs = Date.parse(range.to as string) - Date.parse(range.from as string);
  if (spanMs > AUDIT_QUERY_LIMITS.maxTimeWalkDays * DAY_MS) {
    const max = AUDIT_QUERY_LIMITS.maxTimeWalkDays;
    throw new InvalidInputError(
      `without actor, secretId or path the audit log is searched day by day, so from and to may be at most ${max} days apart ` +
        `(without them, the last ${AUDIT_QUERY_LIMITS.defaultWindowHours} hours are searched); narrow the range or add one of those filters`,
      { field: 'from', maxDays: max },
    );
  }
}

/** UTC days from the one holding `to` (exclusive) back to the one holding `from`. */
export function daysNewestFirst(from: string, to: string): string[] {
  const first = dayOf(from);
  const days: string[] = [];
  for (let day = dayOf(new Date(Date.parse(to) - 1).toISOString()); day >= first; ) {
    days.push(day);
    day = new Date(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10);
  }
  return days;
}

function filterOf(filters: AuditFilters, source: QuerySource): FilterClause | undefined {
  const conditions: [attribute: string, value: string | undefined][] = [
    ['action', filters.action],
    ['result', filters.result],
  ];
  for (const [lookup, index] of Object.entries(AUDIT_INDEXES) as [keyof typeof AUDIT_INDEXES, AuditIndex][]) {
    if (source.kind === 'index' && source.index === index) continue;
    conditions.push([index.key, filters[lookup]]);
  }
  const used = conditions.filter((c): c is [string, string] => c[1] !== undefined);
  if (used.length === 0) return undefined;
  return {
    expression: used.map((_, i) => `#f${i} = :f${i}`).join(' AND '),
    names: Object.fromEntries(used.map(([attribute], i) => [`#f${i}`, attribute])),
    values: Object.fromEntries(used.map(([, value], i) => [`:f${i}`, value])),
  };
}

function fingerprint(filters: AuditFilters): string {
  const { actor, secretId, path, action, result, from, to } = filters;
  const text = JSON.stringify([actor, secretId, path, action, result, from, to]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

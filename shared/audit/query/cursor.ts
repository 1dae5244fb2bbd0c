import { InvalidInputError } from '../../errors';
import { AUDIT_KEYS, dayPartition } from './auditItem';
import { planQuery, type QueryPlan, type TimeRange } from './plan';
import type { AuditFilters } from './schema';

/** Where a page stopped: the day partition being read (day walk) and DynamoDB's position in it. */
export interface Position {
  /** Index into `plan.days`; 0 for an index query. */
  dayIndex: number;
  /** ExclusiveStartKey for the next read; none = start of the day partition. */
  key?: Record<string, string>;
}

/** What a cursor holds: the position, the range still to read, and whose filters it belongs to. */
interface CursorBody {
  v: 1;
  /** Fingerprint of the filters. */
  q: string;
  /** The resolved range of the first page (its default "last 24 h" must not move while paging). */
  r: TimeRange;
  /** Day partition being read (day walk only). */
  d?: string;
  /** LastEvaluatedKey (or the key of the last event returned). */
  k?: Record<string, string>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PARTITION = /^DAY#\d{4}-\d{2}-\d{2}$/;
/** `<ISO time>#<eventId>`. */
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[^#\s]{1,128}$/;

/**
 * Encodes where to continue: base64url of JSON, opaque to callers. The remaining day range
 * follows from the range and the current day.
 */
export function encodeCursor(plan: QueryPlan, position: Position): string {
  const body: CursorBody = {
    v: 1,
    q: plan.fingerprint,
    r: plan.range,
    ...(plan.source.kind === 'days' && { d: plan.days[position.dayIndex] }),
    ...(position.key && { k: position.key }),
  };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

const rejected = (why: string) =>
  new InvalidInputError(`the cursor is not one this API returned for these filters (${why}); start again without it`, { field: 'cursor' });

/**
 * Reads a cursor back into a plan (with the range it carries) and a position, checking that it
 * was made for the same filters and that its key can only point into the partition being queried.
 *
 * @param cursor - The cursor a previous page returned.
 * @param filters - This request's filters.
 * @param now - Epoch milliseconds (unused by a resumed range, kept for the plan's signature).
 * @throws InvalidInputError for anything else.
 */
export function decodeCursor(cursor: string, filters: AuditFilters, now: number): { plan: QueryPlan; position: Position } {
  const body = parse(cursor);
  const range = checkedRange(body.r, filters);
  const plan = planQuery(filters, now, range);
  if (body.q !== plan.fingerprint) throw rejected('other filters');
  if (plan.source.kind === 'days') {
    const dayIndex = body.d === undefined ? -1 : plan.days.indexOf(body.d);
    if (dayIndex < 0) throw rejected('day outside the range');
    if (body.k !== undefined) checkKey(body.k, [AUDIT_KEYS.partition, AUDIT_KEYS.sort], (k) => k.pk === dayPartition(body.d as string));
    return { plan, position: { dayIndex, key: body.k } };
  }
  const { index, value } = plan.source;
  if (body.d !== undefined || body.k === undefined) throw rejected('not an index position');
  checkKey(body.k, [AUDIT_KEYS.partition, AUDIT_KEYS.sort, index.key], (k) => k[index.key] === value && PARTITION.test(k.pk as string));
  return { plan, position: { dayIndex: 0, key: body.k } };
}

function parse(cursor: string): CursorBody {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw rejected('unreadable');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw rejected('unreadable');
  const { v, q, r, d, k } = body as Record<string, unknown>;
  if (v !== 1 || typeof q !== 'string') throw rejected('unknown version');
  if (typeof r !== 'object' || r === null || Array.isArray(r)) throw rejected('no range');
  if (d !== undefined && (typeof d !== 'string' || !DAY.test(d))) throw rejected('bad day');
  if (k !== undefined && (typeof k !== 'object' || k === null || Array.isArray(k))) throw rejected('bad key');
  return body as CursorBody;
}

/** The carried range must be made of ISO times and agree with every end the caller gave. */
function checkedRange(range: TimeRange, filters: AuditFilters): TimeRange {
  const entries = Object.entries(range);
  const iso = (value: unknown) => typeof value === 'string' && value.length === 24 && new Date(value).toISOString() === value;
  if (entries.some(([name, value]) => (name !== 'from' && name !== 'to') || !iso(value))) throw rejected('bad range');
  if (filters.from !== undefined && range.from !== filters.from) throw rejected('other range');
  if (filters.to !== undefined && range.to !== filters.to) throw rejected('other range');
  return { ...(range.from !== undefined && { from: range.from }), ...(range.to !== undefined && { to: range.to }) };
}

function checkKey(key: Record<string, unknown>, names: string[], belongs: (key: Record<string, unknown>) => boolean): void {
  const keys = Object.keys(key);
  const shaped =
    keys.length === names.length &&
    names.every((name) => typeof key[name] === 'string' && (key[name] as string).length <= 1024) &&
    SORT_KEY.test(key[AUDIT_KEYS.sort] as string);
  if (!shaped || !belongs(key)) throw rejected('bad position');
}

import type { AuditEvent } from '../event';

/** Key attributes of an audit-table item (see AUDIT_TABLE in `shared/store/tables.ts`). */
export const AUDIT_KEYS = {
  partition: 'pk',
  sort: 'sk',
  actor: 'actorKey',
  secret: 'secretKey',
  path: 'pathKey',
} as const;

/** Index of the audit table per lookup key, with the item attribute that is its partition key. */
export const AUDIT_INDEXES = {
  actor: { name: 'byActor', key: AUDIT_KEYS.actor },
  secretId: { name: 'bySecret', key: AUDIT_KEYS.secret },
  path: { name: 'byPath', key: AUDIT_KEYS.path },
} as const;
export type AuditIndex = (typeof AUDIT_INDEXES)[keyof typeof AUDIT_INDEXES];

/** An audit event as the audit table holds it: the whole event plus its keys. */
export type AuditItem = AuditEvent & {
  pk: string;
  sk: string;
  actorKey: string;
  secretKey?: string;
  pathKey?: string;
};

/** `YYYY-MM-DD` (UTC) of an ISO time. */
export function dayOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** Partition key of a UTC day. */
export function dayPartition(day: string): string {
  return `DAY#${day}`;
}

/** Sort key: `<ISO time>#<eventId>`, so events sort by time and never collide. */
export function sortKey(event: Pick<AuditEvent, 'time' | 'eventId'>): string {
  return `${event.time}#${event.eventId}`;
}

/**
 * Maps an audit event to its audit-table item: pk `DAY#<UTC day of the event time>`, sk
 * `<time>#<eventId>`, and the index keys `actorKey` (principal id), `secretKey` (secret id) and
 * `pathKey` (secret path), the last two only when the event names them.
 *
 * @param event - The event as written to the outbox.
 * @example
 * await db.send(new PutCommand({ TableName: AUDIT_TABLE.localName, Item: auditItem(event) }));
 */
export function auditItem(event: AuditEvent): AuditItem {
  return {
    ...event,
    pk: dayPartition(dayOf(event.time)),
    sk: sortKey(event),
    actorKey: event.actor.principal,
    ...(event.target.secretId !== undefined && { secretKey: event.target.secretId }),
    ...(event.target.path !== undefined && { pathKey: event.target.path }),
  };
}

/** The event an item holds, without the table's keys (or anything else the writer added). */
export function auditEventOf(item: Record<string, unknown>): AuditEvent {
  const event = item as unknown as AuditEvent;
  return {
    eventId: event.eventId,
    time: event.time,
    actor: event.actor,
    action: event.action,
    operation: event.operation,
    target: event.target ?? {},
    result: event.result,
    reason: event.reason,
    status: event.status,
    source: event.source,
    requestId: event.requestId,
    details: event.details ?? {},
  };
}

/**
 * Every string an audit event stores is bounded, so no request (a 6 MB body of unknown keys whose
 * validation message lists them all, a long user agent) can push the item past DynamoDB's 400 KB
 * limit and make its own event fail to be written. The largest event is a few tens of KB.
 */
import type { AuditDetails, AuditEvent } from './event';

export const AUDIT_LIMITS = {
  reason: 2_000,
  /** Ids, paths, principals, action and operation names, IPs, user agent. */
  field: 512,
  groups: 50,
  detailKeys: 50,
  detailValue: 512,
} as const;

/** Cuts `text` to `max` characters, saying how much was left out. */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `… (${text.length - max} more characters)`;
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

function boundedDetails(details: AuditDetails): AuditDetails {
  const entries = Object.entries(details);
  const kept = entries
    .slice(0, AUDIT_LIMITS.detailKeys)
    .map(([key, value]) => [bounded(key, AUDIT_LIMITS.field), typeof value === 'string' ? bounded(value, AUDIT_LIMITS.detailValue) : value] as const);
  const result: AuditDetails = Object.fromEntries(kept);
  if (entries.length > kept.length) result.detailsLeftOut = entries.length - kept.length;
  return result;
}

/** The event with every stored string and list within {@link AUDIT_LIMITS}. */
export function boundEvent(event: AuditEvent): AuditEvent {
  const field = (text: string) => bounded(text, AUDIT_LIMITS.field);
  const target = Object.fromEntries(Object.entries(event.target).map(([key, value]) => [key, typeof value === 'string' ? field(value) : value]));
  return {
    ...event,
    actor: {
      ...event.actor,
      principal: field(event.actor.principal),
      groups: event.actor.groups.slice(0, AUDIT_LIMITS.groups).map(field),
      ...(event.actor.sub !== undefined ? { sub: field(event.actor.sub) } : {}),
    },
    action: field(event.action),
    operation: field(event.operation),
    target,
    reason: bounded(event.reason, AUDIT_LIMITS.reason),
    source: { ip: field(event.source.ip), userAgent: field(event.source.userAgent) },
    requestId: field(event.requestId),
    details: boundedDetails(event.details),
  };
}

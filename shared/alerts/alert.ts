import type { AuditEvent } from '../audit/event';

/** A recovery-code set with this many unused codes or fewer is low on stock. */
export const RECOVERY_LOW_STOCK = 2;

/** Event source and detail types on the alert bus (EventBridge rules match on them). */
export const ALERT_SOURCE = 'otpvault';
export const ALERT_TYPES = {
  secretUsed: 'Secret Used',
  accessRequested: 'Access Requested',
  accessApprovalRecorded: 'Access Approval Recorded',
  accessApproved: 'Access Approved',
  accessDenied: 'Access Denied',
  accessWithdrawn: 'Access Withdrawn',
  recoveryLowStock: 'Recovery Codes Low',
} as const;
export type AlertType = (typeof ALERT_TYPES)[keyof typeof ALERT_TYPES];

/** What subscribers receive: who, which secret, when, under which grant. Never a code or a value. */
export interface Alert {
  /** Unique per alert: the audit event id, plus `:low-stock` for the stock alert. Subscribers dedupe on it. */
  id: string;
  type: AlertType;
  /** ISO time of the audited request. */
  time: string;
  /** Principal id, `user:bob`. */
  who: string;
  secretId?: string;
  path?: string;
  /** What was handed out or done: `otp`, `recovery code`, `field password`, or the access-request step. */
  what: string;
  grant?: { requestId: string; until?: string };
  accessRequestId?: string;
  /** Recovery codes left (recovery alerts). */
  remaining?: number;
  /** The audit event this alert comes from (look it up with GET /v1/audit). */
  auditEventId: string;
}

const HANDED_OUT: Record<string, (event: AuditEvent) => string> = {
  'otp generated': () => 'otp',
  'recovery code revealed': () => 'recovery code',
  'field revealed': (event) => `field ${String(event.details.field ?? '')}`.trim(),
};

const ACCESS_STEPS: Record<string, AlertType> = {
  'access requested': ALERT_TYPES.accessRequested,
  'access request approval recorded': ALERT_TYPES.accessApprovalRecorded,
  'access request approved': ALERT_TYPES.accessApproved,
  'access request denied': ALERT_TYPES.accessDenied,
  'access request withdrawn': ALERT_TYPES.accessWithdrawn,
};

/**
 * The alerts an audit event calls for: a code or field handed out of an `alertOnUse` secret; every
 * access request and decision; a recovery set at `RECOVERY_LOW_STOCK` or fewer unused codes. A
 * pure function of the event, so a replayed event yields the same alerts with the same ids.
 */
export function alertsFor(event: AuditEvent): Alert[] {
  if (event.result !== 'allowed') return [];
  const base = {
    time: event.time,
    who: event.actor.principal,
    ...(event.target.secretId !== undefined ? { secretId: event.target.secretId } : {}),
    ...(event.target.path !== undefined ? { path: event.target.path } : {}),
    auditEventId: event.eventId,
  };
  const alerts: Alert[] = [];
  const handedOut = HANDED_OUT[event.reason];
  if (handedOut && event.details.alertOnUse === true) {
    const grant = typeof event.details.grant === 'string' ? { requestId: event.details.grant, ...(typeof event.details.grantUntil === 'string' ? { until: event.details.grantUntil } : {}) } : undefined;
    alerts.push({ id: event.eventId, type: ALERT_TYPES.secretUsed, ...base, what: handedOut(event), ...(grant ? { grant } : {}) });
  }
  const step = ACCESS_STEPS[event.reason];
  if (step) {
    const requestId = event.details.accessRequestId;
    alerts.push({ id: event.eventId, type: step, ...base, what: event.reason, ...(typeof requestId === 'string' ? { accessRequestId: requestId } : {}) });
  }
  const remaining = event.details.remaining;
  if (event.reason === 'recovery code revealed' && typeof remaining === 'number' && remaining <= RECOVERY_LOW_STOCK) {
    alerts.push({ id: `${event.eventId}:low-stock`, type: ALERT_TYPES.recoveryLowStock, ...base, what: 'recovery codes low', remaining });
  }
  return alerts;
}

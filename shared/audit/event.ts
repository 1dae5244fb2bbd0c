import type { PrincipalKind } from '../auth/principal';

export type AuditResult = 'allowed' | 'denied' | 'error';

/** Safe detail values only: ids, counts, parameter names. Never a seed, password, code or OTP. */
export type AuditDetails = Record<string, string | number | boolean>;

export interface AuditActor {
  /** `user:alice`, `service:bot`, `role:arn:...`, or `anonymous` when no principal is known. */
  principal: string;
  kind: PrincipalKind | 'anonymous';
  groups: string[];
  /**
   * Users only: the account behind the name (Cognito `sub`). `principal` stays `user:alice` for
   * reading; the sub tells a re-created alice from the old one.
   */
  sub?: string;
}

export interface AuditTarget {
  secretId?: string;
  path?: string;
  templateId?: string;
  policyId?: string;
}

export interface AuditEvent {
  eventId: string;
  /** ISO-8601 UTC. */
  time: string;
  actor: AuditActor;
  /** Policy action (`otp:generate`) or, for requests that never reached one, the operation name. */
  action: string;
  operation: string;
  target: AuditTarget;
  result: AuditResult;
  /** Why it was denied or failed, or what happened (e.g. `code generated`). */
  reason: string;
  /** HTTP status returned to the caller. */
  status: number;
  source: { ip: string; userAgent: string };
  requestId: string;
  details: AuditDetails;
}

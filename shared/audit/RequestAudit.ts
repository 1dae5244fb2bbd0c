import type { Principal } from '../auth/principal';
import { ulid } from '../ids';
import type { TransactWriteItem } from '../store/transactions';
import { boundEvent } from './bounds';
import type { AuditDetails, AuditEvent, AuditResult, AuditTarget } from './event';
import { vaultMetrics } from '../observability/metrics';
import type { AuditOutbox } from './AuditOutbox';
import { UnavailableError } from '../errors';

/** The audit log could not record a request: it is refused (fail closed). */
export class AuditUnavailableError extends UnavailableError {
  constructor(cause: unknown) {
    super('the audit log could not record this request, so it was refused; try again', 'AuditUnavailable');
    this.cause = cause;
  }
}

export interface RequestInfo {
  requestId: string;
  operation: string;
  action: string;
  sourceIp: string;
  userAgent: string;
}

/**
 * The audit record of one request. Domain code records sensitive outcomes itself, durably and
 * before answering (`recordNow`, `inTransaction`); whatever it did not record, the operation
 * wrapper records when the request ends, so every request leaves exactly one event.
 */
export class RequestAudit {
  principal?: Principal;
  readonly target: AuditTarget = {};
  readonly details: AuditDetails = {};
  private recordedEvent?: AuditEvent;

  constructor(
    private readonly outbox: AuditOutbox,
    readonly request: RequestInfo,
    private readonly now: () => number,
  ) {}

  get recorded(): boolean {
    return this.recordedEvent !== undefined;
  }

  setTarget(target: AuditTarget): void {
    Object.assign(this.target, target);
  }

  event(result: AuditResult, status: number, reason: string, details: AuditDetails = {}): AuditEvent {
    const now = this.now();
    return boundEvent({
      eventId: ulid(now),
      time: new Date(now).toISOString(),
      actor: this.principal
        ? {
            principal: this.principal.id,
            kind: this.principal.kind,
            groups: this.principal.groups,
            ...(this.principal.sub !== undefined ? { sub: this.principal.sub } : {}),
          }
        : { principal: 'anonymous', kind: 'anonymous', groups: [] },
      action: this.request.action,
      operation: this.request.operation,
      target: { ...this.target },
      result,
      reason,
      status,
      source: { ip: this.request.sourceIp, userAgent: this.request.userAgent },
      requestId: this.request.requestId,
      details: { ...this.details, ...details },
    });
  }

  /** Writes the success event now; resolves only when it is durable. */
  async recordNow(status: number, reason: string, details: AuditDetails = {}): Promise<void> {
    const event = this.event('allowed', status, reason, details);
    await this.write(event);
  }

  /** Runs a state change whose transaction also writes the success event. */
  async inTransaction<T>(
    status: number,
    reason: string,
    details: AuditDetails,
    write: (auditItem: TransactWriteItem) => Promise<T>,
  ): Promise<T> {
    const event = this.event('allowed', status, reason, details);
    const result = await write(this.outbox.transactItem(event));
    this.recordedEvent = event;
    return result;
  }

  /** Records the request's end if domain code has not. */
  async finish(result: AuditResult, status: number, reason: string): Promise<void> {
    if (this.recordedEvent) return;
    await this.write(this.event(result, status, reason));
  }

  private async write(event: AuditEvent): Promise<void> {
    const started = performance.now();
    try {
      await this.outbox.write(event);
    } catch (cause) {
      vaultMetrics.auditWrite(performance.now() - started, false);
      throw new AuditUnavailableError(cause);
    }
    vaultMetrics.auditWrite(performance.now() - started, true);
    if (event.result === 'denied') vaultMetrics.denied();
    this.recordedEvent = event;
  }
}

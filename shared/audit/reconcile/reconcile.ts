import { InvalidInputError } from '../../errors';
import type { AuditEvent } from '../event';
import { collectAudit, planQuery, type AuditLog } from '../query';
import type { DecryptTrail, VaultDecrypt } from './decrypts';
import { RECONCILE_LIMITS } from './limits';
import { matchDecrypts } from './match';

/** A Decrypt no audit event accounts for: someone (or something) read a secret outside the API. */
export type UnexplainedDecrypt = Pick<VaultDecrypt, 'eventTime' | 'secretId' | 'field' | 'part' | 'caller' | 'requestId' | 'eventId' | 'errorCode'>;

/** The answer of `GET /v1/audit/reconcile`. */
export interface ReconcileAnswer {
  from: string;
  to: string;
  /** Vault Decrypts (encryption context naming a secret) recorded in the range. */
  decrypts: number;
  /** Of those, how many an allowed audit event accounts for. */
  explained: number;
  /** The others, oldest first. */
  unexplained: UnexplainedDecrypt[];
  /** Why the answer may be incomplete (CloudTrail delivery delay). */
  warnings: string[];
}

/** Where reconciliation reads from. */
export interface ReconcileSources {
  trail: DecryptTrail;
  auditLog: AuditLog;
  /**
   * The identities the vault's functions decrypt as, each matched as a substring of the trail's
   * caller ARN (`:assumed-role/<RoleName>/` in AWS, the local access key's user ARN locally). Empty:
   * any caller may be explained by an event.
   */
  vaultCallers?: readonly string[];
}

const SECOND_MS = 1000;

/**
 * Lists the vault's KMS Decrypts in `[from, to)` and matches each with the audit event of the
 * request that made it (see `matchDecrypts`). In AWS, CloudTrail delivers events up to about
 * 15 minutes late: reconcile windows that ended at least that long ago, or the newest Decrypts
 * are missing (they are not reported as unexplained; they are simply not seen yet).
 *
 * @param sources - The Decrypt trail and the audit log.
 * @param range - ISO UTC times, `from` inclusive, `to` exclusive, at most `maxRangeHours` apart.
 * @param now - Epoch milliseconds, for the delivery-delay warning.
 * @throws InvalidInputError for an empty or too long range; TooLargeError when too much to read.
 * @example
 * const answer = await reconcileDecrypts({ trail, auditLog }, { from, to }, Date.now());
 */
export async function reconcileDecrypts(sources: ReconcileSources, range: { from: string; to: string }, now: number): Promise<ReconcileAnswer> {
  const { from, to } = range;
  checkRange(from, to);
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  // The trail is read by whole seconds: keep a Decrypt whose second overlaps [from, to).
  const decrypts = (await sources.trail.vaultDecrypts(from, to)).filter((d) => {
    const second = Date.parse(d.eventTime);
    return second + SECOND_MS > fromMs && second < toMs;
  });
  const window = { afterMs: RECONCILE_LIMITS.matchWindowSeconds * SECOND_MS, beforeMs: RECONCILE_LIMITS.clockSkewSeconds * SECOND_MS };
  const events = await eventsOf(sources.auditLog, [...new Set(decrypts.map((d) => d.secretId))], {
    from: new Date(fromMs - window.afterMs - SECOND_MS).toISOString(),
    to: new Date(toMs + window.beforeMs + SECOND_MS).toISOString(),
  }, now);
  const callers = sources.vaultCallers ?? [];
  const match = matchDecrypts(decrypts, events, window, callers.length ? (caller) => callers.some((c) => caller.includes(c)) : undefined);
  return {
    from,
    to,
    decrypts: decrypts.length,
    explained: match.explained.length,
    unexplained: match.unexplained.map(({ eventTime, secretId, field, part, caller, requestId, eventId, errorCode, operation }) => ({
      eventTime,
      secretId,
      field,
      part,
      caller,
      requestId,
      eventId,
      ...(errorCode !== undefined && { errorCode }),
      ...(operation !== undefined && { operation }),
    })),
    warnings: deliveryWarnings(toMs, now),
  };
}

function checkRange(from: string, to: string): void {
  if (from >= to) throw new InvalidInputError('from must be before to (from is inclusive, to exclusive)', { field: 'from' });
  if (Date.parse(to) - Date.parse(from) > RECONCILE_LIMITS.maxRangeHours * 3_600_000) {
    throw new InvalidInputError(
      `from and to may be at most ${RECONCILE_LIMITS.maxRangeHours} hours apart (CloudTrail is read at two pages a second); reconcile longer periods in parts`,
      { field: 'to', maxHours: RECONCILE_LIMITS.maxRangeHours },
    );
  }
}

/** Allowed audit events of each secret in the range, read a few secrets at a time. */
async function eventsOf(log: AuditLog, secretIds: string[], range: { from: string; to: string }, now: number): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (let i = 0; i < secretIds.length; i += RECONCILE_LIMITS.parallelSecrets) {
    const batch = secretIds.slice(i, i + RECONCILE_LIMITS.parallelSecrets);
    const found = await Promise.all(
      batch.map((secretId) =>
        collectAudit(log, planQuery({ secretId, result: 'allowed', ...range }, now), RECONCILE_LIMITS.maxEventsPerSecret),
      ),
    );
    events.push(...found.flat());
  }
  return events;
}

function deliveryWarnings(toMs: number, now: number): string[] {
  const settled = now - RECONCILE_LIMITS.trailDelayMinutes * 60_000;
  if (toMs <= settled) return [];
  return [
    `CloudTrail delivers events up to about ${RECONCILE_LIMITS.trailDelayMinutes} minutes late: Decrypts after ` +
      `${new Date(settled).toISOString()} may not be listed yet; in AWS, reconcile windows that ended at least ${RECONCILE_LIMITS.trailDelayMinutes} minutes ago`,
  ];
}

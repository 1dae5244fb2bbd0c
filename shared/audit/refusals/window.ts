/**
 * Refusal windows: what is counted of refused credentials instead of one audit event each, and the
 * one summary event a closed window becomes. Pure: times come in as arguments (the injected clock's
 * `now()`), the store is `RefusalWindows`.
 *
 * Anyone on the internet can send a bad token, and every audit event is archived under a compliance
 * lock: one event per refusal would let them fill the archive. So the first refusal of a source
 * (IP and principal, or `anonymous`) in a UTC minute is audited at once, as before; the later ones
 * of that minute are counted, and the sweeper writes one summary with the count once the minute is over.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../../auth/principal';
import { AUTHENTICATE, DENIED_STATUS } from '../../auth/refusalAudit';
import { ulid } from '../../ids';
import { ITEM } from '../../store/keys';
import { AUDIT_LIMITS, bounded, boundEvent } from '../bounds';
import type { AuditActor, AuditEvent } from '../event';

/** Sizes of a window, all explicit so a window item stays small whatever a flood sends. */
export const REFUSAL_WINDOW = {
  /** Partitions the windows are spread over (by source), so many sources do not make one hot partition. */
  shards: 8,
  /** Distinct reasons kept per window; more are counted but flagged `truncated`. */
  maxReasons: 4,
  /** Characters kept of each reason (SigV4 reasons quote what the caller sent). */
  maxReasonChars: 120,
  /** Distinct route keys kept per window. */
  maxRouteKeys: 5,
  maxRouteKeyChars: 96,
  /** Characters kept of the source IP in the key (an IPv6 address has at most 45). */
  maxSourceIpChars: 64,
  /**
   * A window item removes itself (TTL) this long after its minute ends: long enough for a few
   * missed sweeps, short enough that a flood leaves nothing lasting in the vault table.
   */
  expiresAfterCloseSeconds: 15 * 60,
  /**
   * A minute is swept only once it has been over this long, so a refusal counted by a function
   * whose clock is a little behind still lands in its window before the summary is written (a later
   * one opens the window again and is audited at once: nothing is lost either way).
   */
  sweepGraceMs: 5_000,
  /** How often the sweeper runs (EventBridge schedule in AWS, a timer in the local runner). */
  sweepEverySeconds: 60,
} as const;

/** What is counted of one refused request. */
export interface Refusal {
  sourceIp: string;
  /** Only when the credentials proved who sent them (see `auditRefusedCredentials`). */
  principal?: Principal;
  reason: string;
  routeKey: string;
  userAgent: string;
}

/** A window as the store reads it back. */
export interface RefusalWindow {
  pk: string;
  sk: string;
  /** `YYYY-MM-DDTHH:MM` (UTC). */
  minute: string;
  sourceIp: string;
  /** The actor of the window's first refusal. */
  actor: AuditActor;
  userAgent: string;
  /** Refusals counted, the first (audited on its own) included. */
  count: number;
  /** ISO times of the first and the last refusal. */
  firstAt: string;
  lastAt: string;
  reasons: string[];
  routeKeys: string[];
  /** Some reason or route key did not fit in the window. */
  truncated: boolean;
}

const MINUTE_MS = 60_000;

/** The UTC minute of `ms`, as `YYYY-MM-DDTHH:MM` (sorts as text). */
export function minuteOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** The actor an event records for a refusal (the same as `RequestAudit` would). */
export function actorOf(principal: Principal | undefined): AuditActor {
  return principal
    ? { principal: bounded(principal.id, AUDIT_LIMITS.field), kind: principal.kind, groups: principal.groups.slice(0, AUDIT_LIMITS.groups) }
    : { principal: 'anonymous', kind: 'anonymous', groups: [] };
}

/** Where a refusal is counted: its source's window of the minute of `now`, and the values stored. */
export function windowOf(refusal: Refusal, now: number) {
  const minute = minuteOf(now);
  const sourceIp = bounded(refusal.sourceIp, REFUSAL_WINDOW.maxSourceIpChars);
  const actor = actorOf(refusal.principal);
  const shard = shardOf(sourceIp, actor.principal);
  const minuteEnd = Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  return {
    key: ITEM.refusalWindow(shard, minute, sourceIp, actor.principal),
    minute,
    sourceIp,
    actor,
    // Set members cannot be empty strings.
    reason: bounded(refusal.reason || '(no reason)', REFUSAL_WINDOW.maxReasonChars),
    routeKey: bounded(refusal.routeKey || 'unknown', REFUSAL_WINDOW.maxRouteKeyChars),
    userAgent: bounded(refusal.userAgent, AUDIT_LIMITS.field),
    at: new Date(now).toISOString(),
    ttl: Math.floor(minuteEnd / 1000) + REFUSAL_WINDOW.expiresAfterCloseSeconds,
  };
}

/** The shard of a source: stable, and spread evenly by a hash. */
export function shardOf(sourceIp: string, principal: string): number {
  return createHash('sha256').update(`${sourceIp}\n${principal}`).digest().readUInt32BE(0) % REFUSAL_WINDOW.shards;
}

/** The first minute not yet swept at `now`: windows of earlier minutes are closed. */
export function firstOpenMinute(now: number): string {
  return minuteOf(now - REFUSAL_WINDOW.sweepGraceMs);
}

/**
 * The oldest minute whose windows have not expired at `now`. A sweep reads no further back: an
 * expired window is one DynamoDB may delete at any time (TTL deletes within days, not at once), and
 * windows of a single refusal are never deleted otherwise, so reading them all would make every sweep
 * after a flood from many addresses read that flood again.
 */
export function oldestUnexpiredMinute(now: number): string {
  return minuteOf(now - REFUSAL_WINDOW.expiresAfterCloseSeconds * 1000 - MINUTE_MS);
}

/**
 * The one audit event of a closed window with repeated refusals: `authenticate` / denied / 403
 * from the window's source, counting the refusals after the first (which has its own event).
 *
 * @param window - A window whose count is above 1.
 * @param now - When the summary is written (the event's time and id).
 */
export function summaryEvent(window: RefusalWindow, now: number): AuditEvent {
  const repeated = window.count - 1;
  return boundEvent({
    eventId: ulid(now),
    time: new Date(now).toISOString(),
    actor: window.actor,
    action: AUTHENTICATE,
    operation: AUTHENTICATE,
    target: {},
    result: 'denied',
    reason: `${repeated} more refused credentials from this source in minute ${window.minute} UTC (after the first, audited on its own)`,
    status: DENIED_STATUS,
    source: { ip: window.sourceIp, userAgent: window.userAgent },
    requestId: `refusals:${window.minute}:${window.sourceIp}`,
    details: {
      repeatedRefusals: repeated,
      minute: window.minute,
      firstAt: window.firstAt,
      lastAt: window.lastAt,
      reasons: [...window.reasons].sort().join(' | '),
      routeKeys: [...window.routeKeys].sort().join(', '),
      ...(window.truncated ? { truncated: true } : {}),
    },
  });
}

import type { AuditEvent } from '../event';
import type { VaultDecrypt } from './decrypts';
import { explainerFor } from './explainers';

/** The outcome of matching Decrypts against audit events. */
export interface DecryptMatch {
  explained: { decrypt: VaultDecrypt; event: AuditEvent }[];
  unexplained: VaultDecrypt[];
}

/** How close in time a Decrypt must be to the event that explains it. */
export interface MatchWindow {
  /** The vault writes its event, then decrypts: the Decrypt may follow the event by this much. */
  afterMs: number;
  /** Clock skew between the function and KMS: the Decrypt may seem to precede the event by this much. */
  beforeMs: number;
}

/**
 * Whether the Decrypt can belong to the event in time. CloudTrail times are whole seconds, so the
 * Decrypt happened somewhere in `[eventTime, eventTime + 1 s)`.
 */
function withinWindow(decrypt: VaultDecrypt, event: AuditEvent, window: MatchWindow): boolean {
  const start = Date.parse(decrypt.eventTime);
  const at = Date.parse(event.time);
  return start <= at + window.afterMs && start + 999 >= at - window.beforeMs;
}

/**
 * Pairs each Decrypt with one allowed audit event of the same secret whose action decrypts that
 * part (see DECRYPT_EXPLAINERS) shortly before it (`window`). An event explains one Decrypt at most,
 * so one audited OTP cannot cover a second, unaudited Decrypt, and a Decrypt cannot take an event
 * written after it (beyond clock skew). Decrypts are taken oldest first and each takes the oldest
 * event still free: with windows of equal width this pairs as many as possible.
 *
 * @param decrypts - Vault Decrypts from the trail.
 * @param events - Audit events of the secrets concerned (any result; only `allowed` ones explain).
 * @param window - How far a Decrypt may follow (or, by clock skew, precede) its event.
 * @param isVaultCaller - Whether a Decrypt's caller is one of the vault's functions (default: anyone).
 * @example
 * const { unexplained } = matchDecrypts(decrypts, events, { afterMs: 30_000, beforeMs: 5_000 });
 */
export function matchDecrypts(
  decrypts: readonly VaultDecrypt[],
  events: readonly AuditEvent[],
  window: MatchWindow,
  isVaultCaller: (caller: string) => boolean = () => true,
): DecryptMatch {
  const bySecret = new Map<string, AuditEvent[]>();
  for (const event of events) {
    const secretId = event.target.secretId;
    if (event.result !== 'allowed' || secretId === undefined || !explainerFor(event.action)) continue;
    const list = bySecret.get(secretId) ?? [];
    list.push(event);
    bySecret.set(secretId, list);
  }
  for (const list of bySecret.values()) list.sort((a, b) => a.time.localeCompare(b.time) || a.eventId.localeCompare(b.eventId));

  const used = new Set<string>();
  const result: DecryptMatch = { explained: [], unexplained: [] };
  const ordered = [...decrypts].sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventId.localeCompare(b.eventId));
  for (const decrypt of ordered) {
    // The API only ever decrypts as one of its own functions: anyone else's Decrypt is never
    // explained, and cannot take an event that belongs to the function's Decrypt in the same second.
    // Nor is a ReEncrypt or GenerateDataKey* naming a secret: the vault never calls them.
    if (!isVaultCaller(decrypt.caller) || decrypt.operation !== undefined) {
      result.unexplained.push(decrypt);
      continue;
    }
    const event = (bySecret.get(decrypt.secretId) ?? []).find(
      (candidate) =>
        !used.has(candidate.eventId) &&
        withinWindow(decrypt, candidate, window) &&
        (explainerFor(candidate.action)?.explains(decrypt, candidate) ?? false),
    );
    if (event) {
      used.add(event.eventId);
      result.explained.push({ decrypt, event });
    } else {
      result.unexplained.push(decrypt);
    }
  }
  return result;
}

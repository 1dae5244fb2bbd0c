import type { AuditEvent } from '../event';
import type { VaultDecrypt } from './decrypts';

/** An audited action that decrypts, and which of a secret's Decrypts one of its events accounts for. */
export interface DecryptExplainer {
  action: string;
  /** Whether the decrypted value is handed to the caller (an OTP, a code) or only used inside the request. */
  returnsValue: boolean;
  /** True when `event` (allowed, same secret, close in time) accounts for `decrypt`. */
  explains(decrypt: VaultDecrypt, event: AuditEvent): boolean;
}

/** A seed part is `v<version>` (see `bindings` in `shared/secrets/SealedValues.ts`); a recovery code part `v<set version>:<index>`. */
const SEED_PART = /^v\d+$/;
const RECOVERY_PART = /^v\d+:\d+$/;

/**
 * Every action whose request may decrypt, one row each. Each request writes its audit event
 * before it decrypts (`SealedValues.reveal`), so each Decrypt of the vault has an event just
 * before it. An operation that decrypts without handing the value out (checking a code against
 * the seed, re-encrypting under a new key) adds its row with `returnsValue: false`, so its Decrypts
 * are explained too instead of showing up as unexplained.
 */
export const DECRYPT_EXPLAINERS: readonly DecryptExplainer[] = [
  {
    action: 'otp:generate',
    returnsValue: true,
    explains: (decrypt) => SEED_PART.test(decrypt.part ?? ''),
  },
  {
    action: 'recovery:reveal',
    returnsValue: true,
    // The event names the code it handed out: the Decrypt must be of exactly that code.
    explains: (decrypt, event) =>
      event.details.setVersion !== undefined && event.details.index !== undefined
        ? decrypt.part === `v${event.details.setVersion}:${event.details.index}`
        : RECOVERY_PART.test(decrypt.part ?? ''),
  },
  {
    action: 'secret:reveal',
    returnsValue: true,
    // A sensitive field is bound without a part; the event may name the field.
    explains: (decrypt, event) =>
      decrypt.part === null && (event.details.field === undefined || event.details.field === decrypt.field),
  },
];

/** The explainer of an action, if that action decrypts. */
export function explainerFor(action: string): DecryptExplainer | undefined {
  return DECRYPT_EXPLAINERS.find((explainer) => explainer.action === action);
}

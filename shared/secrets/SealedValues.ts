import type { AuditDetails } from '../audit/event';
import type { RequestAudit } from '../audit/RequestAudit';
import type { FieldBinding, FieldCipher } from '../crypto/FieldCipher';

/**
 * Where each sealed value belongs: its KMS encryption context, built here and nowhere else, so a
 * ciphertext cannot be moved to another secret, field, seed version or recovery code.
 */
export const bindings = {
  /** A sensitive template field (a password, a note). */
  field: (secretId: string, field: string): FieldBinding => ({ secretId, field }),
  /** An OTP seed: `v<version>`. */
  seed: (secretId: string, field: string, version: number): FieldBinding => ({ secretId, field, part: `v${version}` }),
  /** One recovery code: `v<set version>:<index>`. */
  recoveryCode: (secretId: string, field: string, version: number, index: number): FieldBinding => ({
    secretId,
    field,
    part: `v${version}:${index}`,
  }),
};

/** The success event a reveal writes before anything is decrypted. */
export interface RevealRecord {
  reason: string;
  details: AuditDetails;
}

/**
 * The owner of sealed values: seals them under their binding, and opens one only after the
 * request's audit event is durable, wiping the plaintext once it has been used.
 */
export class SealedValues {
  constructor(private readonly cipher: FieldCipher) {}

  /** Encrypts `plain` under `binding`; bytes given are wiped afterwards. */
  async seal(plain: Uint8Array | string, binding: FieldBinding): Promise<Uint8Array> {
    const bytes = typeof plain === 'string' ? new TextEncoder().encode(plain) : plain;
    try {
      return await this.cipher.encrypt(bytes, binding);
    } finally {
      bytes.fill(0);
    }
  }

  /**
   * Writes `record` as the request's audit event (durably), then decrypts, hands the plaintext to
   * `use` and wipes it: no value leaves unrecorded, none stays in memory.
   *
   * @param beside - work the caller runs alongside the audit write (the step's claim); it settles
   *   before anything is decrypted and its result goes to `use`
   * @example
   * const code = await sealed.reveal(audit, { reason: 'field revealed', details: { field } }, ciphertext, bindings.field(id, field), text);
   */
  async reveal<T, B = undefined>(
    audit: RequestAudit,
    record: RevealRecord,
    ciphertext: Uint8Array,
    binding: FieldBinding,
    use: (plain: Uint8Array, beside: B) => T,
    beside?: Promise<B>,
  ): Promise<T> {
    const [, besideResult] = await Promise.all([audit.recordNow(200, record.reason, record.details), beside]);
    const plain = await this.cipher.decrypt(ciphertext, binding);
    try {
      return use(plain, besideResult as B);
    } finally {
      plain.fill(0);
    }
  }
}

/** The plaintext as UTF-8 text (for `reveal`'s `use`). */
export const text = (plain: Uint8Array): string => new TextDecoder().decode(plain);

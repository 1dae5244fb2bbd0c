import type { RequestAudit } from '../audit/RequestAudit';
import { ConflictError } from '../errors';
import { vaultMetrics } from '../observability/metrics';
import type { SecretRecord } from './model';
import { bindings, text, type SealedValues } from './SealedValues';
import type { SecretStore } from './SecretStore';

/** A secret's recovery codes, handed out one at a time. */
export class RecoveryCodes {
  constructor(
    private readonly store: SecretStore,
    private readonly sealed: SealedValues,
  ) {}

  /** Hands out the next unused code; the claim is atomic, the audit event durable before decryption. */
  async reveal(secret: SecretRecord, audit: RequestAudit): Promise<{ code: string; remaining: number }> {
    if (!secret.recovery) throw new ConflictError('this secret holds no recovery codes', 'NoRecoveryCodes');
    const set = await this.store.claimRecoveryCode(secret.id);
    if (!set) throw new ConflictError('every recovery code of this secret has been used; store a new set', 'RecoveryCodesExhausted');
    const index = set.next - 1;
    const remaining = set.total - set.next;
    const record = { reason: 'recovery code revealed', details: { index, remaining, setVersion: set.version } };
    const binding = bindings.recoveryCode(secret.id, secret.recovery.field, set.version, index);
    const code = await this.sealed.reveal(audit, record, set.codes[index] as Uint8Array, binding, text);
    vaultMetrics.codeHandedOut('recovery');
    return { code, remaining };
  }
}

import type { AuditScope } from '../audit/scope';
import type { Clock } from '../clock';
import type { FieldCipher } from '../crypto/fieldCipher';
import { ConflictError, InvalidInputError } from '../errors';
import { vaultMetrics } from '../observability/metrics';
import { hotpAt, totpAt } from '../otp';
import type { SecretRecord } from './model';
import { recoveryBinding, seedBinding } from './service';
import type { SecretStore } from './store';

export interface OtpAnswer {
  code: string;
  type: 'totp' | 'hotp';
  digits: number;
  period: number | null;
  algorithm: string;
  timeStep: number | null;
  counter: number | null;
  validFrom: string | null;
  validUntil: string | null;
  secondsRemaining: number | null;
  serverTime: string;
}

const noSeed = () => new ConflictError('this secret holds no OTP seed; set one with PUT /v1/secrets/{secretId}/otp-seed', 'NoSeed');

/**
 * The two operations that hand out a secret value: an OTP, or one recovery code. Each writes its
 * audit event durably before the value is computed, so no value leaves unrecorded.
 */
export class CodeService {
  constructor(
    private readonly store: SecretStore,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
  ) {}

  async otp(secret: SecretRecord, options: { minValidSeconds?: number }, audit: AuditScope): Promise<OtpAnswer> {
    if (!secret.otp) throw noSeed();
    return secret.otp.type === 'hotp' ? this.hotp(secret, audit) : this.totp(secret, options.minValidSeconds ?? 0, audit);
  }

  private async totp(secret: SecretRecord, minValidSeconds: number, audit: AuditScope): Promise<OtpAnswer> {
    const seed = await this.store.getSeed(secret.id);
    if (!seed || !secret.otp) throw noSeed();
    const { params } = seed;
    if (minValidSeconds >= params.period) {
      throw new InvalidInputError(`minValidSeconds must be less than the period (${params.period} s)`, { field: 'minValidSeconds' });
    }
    let now = this.clock.now();
    const periodMs = params.period * 1000;
    let waitedMs = 0;
    const remainingMs = periodMs - (now % periodMs);
    if (remainingMs < minValidSeconds * 1000) {
      // Too little time left to type the code: wait for the next step.
      waitedMs = remainingMs;
      await this.clock.sleep(waitedMs);
      now = Math.max(this.clock.now(), now + remainingMs);
    }
    const timeStep = Math.floor(now / periodMs);
    await audit.recordNow(200, 'otp generated', { type: 'totp', timeStep, waitedMs });
    const key = await this.cipher.decrypt(seed.ciphertext, seedBinding(secret.id, secret.otp.field, seed.version));
    try {
      const totp = totpAt(key, params, now);
      vaultMetrics.codeHandedOut('otp');
      return {
        code: totp.code,
        type: 'totp',
        digits: params.digits,
        period: params.period,
        algorithm: params.algorithm,
        timeStep: totp.timeStep,
        counter: null,
        validFrom: totp.validFrom,
        validUntil: totp.validUntil,
        secondsRemaining: totp.secondsRemaining,
        serverTime: new Date(now).toISOString(),
      };
    } finally {
      key.fill(0);
    }
  }

  /**
   * HOTP: the counter moves atomically before anything else, so concurrent callers get distinct
   * codes without retrying. If the audit write then fails, that counter value is skipped, never reused.
   */
  private async hotp(secret: SecretRecord, audit: AuditScope): Promise<OtpAnswer> {
    const seed = await this.store.takeCounter(secret.id);
    if (!seed || !secret.otp) throw noSeed();
    await audit.recordNow(200, 'otp generated', { type: 'hotp', counter: seed.counter });
    const key = await this.cipher.decrypt(seed.ciphertext, seedBinding(secret.id, secret.otp.field, seed.version));
    try {
      vaultMetrics.codeHandedOut('otp');
      return {
        code: hotpAt(key, seed.params, seed.counter),
        type: 'hotp',
        digits: seed.params.digits,
        period: null,
        algorithm: seed.params.algorithm,
        timeStep: null,
        counter: seed.counter,
        validFrom: null,
        validUntil: null,
        secondsRemaining: null,
        serverTime: new Date(this.clock.now()).toISOString(),
      };
    } finally {
      key.fill(0);
    }
  }

  /** Hands out the next unused code; the claim is atomic, the audit event durable before decryption. */
  async revealRecoveryCode(secret: SecretRecord, audit: AuditScope): Promise<{ code: string; remaining: number }> {
    if (!secret.recovery) throw new ConflictError('this secret holds no recovery codes', 'NoRecoveryCodes');
    const set = await this.store.claimRecoveryCode(secret.id);
    if (!set) throw new ConflictError('every recovery code of this secret has been used; store a new set', 'RecoveryCodesExhausted');
    const index = set.next - 1;
    const remaining = set.total - set.next;
    await audit.recordNow(200, 'recovery code revealed', { index, remaining, setVersion: set.version });
    const plain = await this.cipher.decrypt(set.codes[index] as Uint8Array, recoveryBinding(secret.id, secret.recovery.field, set.version, index));
    const code = new TextDecoder().decode(plain);
    plain.fill(0);
    vaultMetrics.codeHandedOut('recovery');
    return { code, remaining };
  }
}

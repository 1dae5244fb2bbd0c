import type { RequestAudit } from '../audit/RequestAudit';
import type { Clock } from '../clock';
import { ConflictError, InvalidInputError } from '../errors';
import { vaultMetrics } from '../observability/metrics';
import { hotpAt, stepWindow, totpAt } from '../otp';
import type { SecretRecord } from './model';
import { bindings, type SealedValues } from './SealedValues';
import type { SecretStore } from './SecretStore';

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

/** The current one-time code of a secret's seed; its audit event is durable before the seed is decrypted. */
export class OtpCodes {
  constructor(
    private readonly store: SecretStore,
    private readonly sealed: SealedValues,
    private readonly clock: Clock,
  ) {}

  async otp(secret: SecretRecord, options: { minValidSeconds?: number }, audit: RequestAudit): Promise<OtpAnswer> {
    if (!secret.otp) throw noSeed();
    return secret.otp.type === 'hotp' ? this.hotp(secret, audit) : this.totp(secret, options.minValidSeconds ?? 0, audit);
  }

  private async totp(secret: SecretRecord, minValidSeconds: number, audit: RequestAudit): Promise<OtpAnswer> {
    const seed = await this.store.getSeed(secret.id);
    if (!seed || !secret.otp) throw noSeed();
    const { params } = seed;
    if (minValidSeconds >= params.period) {
      throw new InvalidInputError(`minValidSeconds must be less than the period (${params.period} s)`, { field: 'minValidSeconds' });
    }
    let now = this.clock.now();
    let waitedMs = 0;
    const remainingMs = stepWindow(params, now).untilMs - now;
    if (remainingMs < minValidSeconds * 1000) {
      // Too little time left to type the code: wait for the next step.
      waitedMs = remainingMs;
      await this.clock.sleep(waitedMs);
      now = Math.max(this.clock.now(), now + remainingMs);
    }
    const record = { reason: 'otp generated', details: { type: 'totp', timeStep: stepWindow(params, now).timeStep, waitedMs } };
    return this.sealed.reveal(audit, record, seed.ciphertext, bindings.seed(secret.id, secret.otp.field, seed.version), (key) => {
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
    });
  }

  /**
   * HOTP: the counter moves atomically before anything else, so concurrent callers get distinct
   * codes without retrying. If the audit write then fails, that counter value is skipped, never reused.
   */
  private async hotp(secret: SecretRecord, audit: RequestAudit): Promise<OtpAnswer> {
    const seed = await this.store.takeCounter(secret.id);
    if (!seed || !secret.otp) throw noSeed();
    const record = { reason: 'otp generated', details: { type: 'hotp', counter: seed.counter } };
    return this.sealed.reveal(audit, record, seed.ciphertext, bindings.seed(secret.id, secret.otp.field, seed.version), (key) => {
      const code = hotpAt(key, seed.params, seed.counter);
      vaultMetrics.codeHandedOut('otp');
      return {
        code,
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
    });
  }
}

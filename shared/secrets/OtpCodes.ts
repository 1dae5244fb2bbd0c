import type { AuditDetails } from '../audit/event';
import type { RequestAudit } from '../audit/RequestAudit';
import type { Clock } from '../clock';
import { ConflictError, InvalidInputError } from '../errors';
import { vaultMetrics } from '../observability/metrics';
import { encoderOf, hotpAt, stepWindow, steamDetail, totpAt, type OtpEncoder } from '../otp';
import type { Handout, SecretRecord, SeedRecord } from './model';
import type { CodeHandouts } from './CodeHandouts';
import { bindings, type SealedValues } from './SealedValues';
import { MAX_OTP_WAIT_SECONDS } from './schema';
import type { SecretStore } from './SecretStore';

export interface OtpAnswer {
  code: string;
  type: 'totp' | 'hotp';
  /** Code length in characters. */
  digits: number;
  /** `decimal` digits, or `steam`: 5 characters of Steam's alphabet (letters and digits). */
  encoder: OtpEncoder;
  period: number | null;
  algorithm: string;
  timeStep: number | null;
  counter: number | null;
  validFrom: string | null;
  validUntil: string | null;
  secondsRemaining: number | null;
  serverTime: string;
  /**
   * Set when this step's code was already handed out to someone else: many sites refuse a code
   * used once in its step (RFC 6238 section 5.2). Ask with `freshCode: true` to wait for the next.
   */
  alreadyHandedOut?: { to: string; at: string; nextCodeAt: string };
}

export interface OtpOptions {
  minValidSeconds?: number;
  /** Wait for the next step when this one's code was already handed out to someone else. */
  freshCode?: boolean;
}

/** What the request brings beside the secret it was allowed. */
export interface OtpRequest {
  /**
   * After a wait (`minValidSeconds`, `freshCode`), authorizes again with the policies in force then
   * and returns the secret as it is then (throws when no longer allowed). Without it, a request that
   * would have to wait is refused.
   */
  decideAgain?: () => Promise<SecretRecord>;
  /**
   * The seed item as read with the decision on the secret (the route row's `readsWithDecision`), used
   * instead of reading it again unless the request waits (then the secret is decided again and the
   * seed read again). HOTP moves the counter instead.
   */
  seedAhead?: { item: SeedRecord | undefined };
  /** Who had the latest step's code first, read with the decision like `seedAhead` (and dropped the same way after a wait). */
  lastCodeAhead?: { item: Handout | undefined };
}

const noSeed = () => new ConflictError('this secret holds no OTP seed; set one with PUT /v1/secrets/{secretId}/otp-seed', 'NoSeed');

/** The current one-time code of a secret's seed; its audit event is durable before the seed is decrypted. */
export class OtpCodes {
  constructor(
    private readonly store: SecretStore,
    private readonly sealed: SealedValues,
    private readonly clock: Clock,
    private readonly handouts: Pick<CodeHandouts, 'claim' | 'release'>,
  ) {}

  /** @param request - how to decide again after a wait, and the seed read with the decision (`OtpRequest`) */
  async otp(secret: SecretRecord, options: OtpOptions, audit: RequestAudit, request: OtpRequest = {}): Promise<OtpAnswer> {
    if (!secret.otp) throw noSeed();
    return secret.otp.type === 'hotp' ? this.hotp(secret, audit) : this.totp(secret, options, audit, request);
  }

  private async totp(secret: SecretRecord, options: OtpOptions, audit: RequestAudit, { decideAgain, seedAhead, lastCodeAhead }: OtpRequest): Promise<OtpAnswer> {
    const minValidSeconds = options.minValidSeconds ?? 0;
    if (!secret.otp) throw noSeed();
    // The secret's summary carries the seed's period (both are written in one transaction), so a wait
    // for minValidSeconds is known before the seed is read.
    let period = secret.otp.period;
    if (minValidSeconds >= period) {
      throw new InvalidInputError(`minValidSeconds must be less than the period (${period} s)`, { field: 'minValidSeconds' });
    }
    let now = this.clock.now();
    let waitedMs = 0;
    /** Read with the decision: good for the secret as decided then, so for the first read only and only without a wait. */
    let ahead = { seed: seedAhead, lastCode: lastCodeAhead };
    /** Waits for the step starting at `untilMs`; the policies, the secret or its seed may change meanwhile, so decide again on what is there then. */
    const waitFor = async (untilMs: number, option: 'minValidSeconds' | 'freshCode') => {
      if (!decideAgain) throw new InvalidInputError(`${option} cannot be honoured here: the request would wait without being authorized again`, { field: option });
      waitedMs += untilMs - now;
      ahead = { seed: undefined, lastCode: undefined };
      await this.clock.sleep(untilMs - now);
      now = Math.max(this.clock.now(), untilMs);
      secret = await decideAgain();
      if (!secret.otp) throw noSeed();
      period = secret.otp.period;
    };
    // Too little time left to type the code: wait for the next step.
    if (stepWindow({ period }, now).untilMs - now < minValidSeconds * 1000) await waitFor(stepWindow({ period }, now).untilMs, 'minValidSeconds');
    const me = audit.principal?.id ?? 'anonymous';
    /** The seed and who had its current step's code first (as stored: one consistent read each, in one batch). */
    const seedAndFirst = async () => {
      const { seed: seedRead, lastCode: lastRead } = ahead;
      ahead = { seed: undefined, lastCode: undefined };
      // None read ahead: read again, after the secret (its item and the seed's may have been read either side of a transaction).
      const [seed, last] = await Promise.all([seedRead?.item ? seedRead.item : this.store.getSeed(secret.id), lastRead ? lastRead.item : this.store.getLastCode(secret.id)]);
      if (!seed || !secret.otp) throw noSeed();
      // The seed defines the step (it may have been replaced with another period since the summary was read).
      period = seed.params.period;
      return { seed, first: last?.timeStep === stepWindow({ period }, now).timeStep ? last : undefined };
    };
    let { seed, first } = await seedAndFirst();
    if (first && first.principal !== me && options.freshCode) {
      const untilMs = stepWindow({ period }, now).untilMs;
      if (waitedMs + (untilMs - now) > MAX_OTP_WAIT_SECONDS * 1000) {
        const nextCodeAt = new Date(untilMs).toISOString();
        throw new ConflictError(
          `this step's code was already handed out and the next one starts at ${nextCodeAt}, more than ${MAX_OTP_WAIT_SECONDS} s away; ask again then`,
          'FreshCodeUnavailable',
          { nextCodeAt },
        );
      }
      await waitFor(untilMs, 'freshCode');
      ({ seed, first } = await seedAndFirst());
    }
    const { params } = seed;
    const step = stepWindow(params, now);
    // Nobody had this step's code when the request read: claim it (one conditional write) beside the
    // audit write, not before it. A caller who claims at the same moment and loses learns who won from
    // the failed condition and is warned in the answer; its event, written beside the claim, names the
    // earlier holder only as read (both events carry the step, so the log still orders them).
    const handout: Handout = { timeStep: step.timeStep, principal: me, at: new Date(now).toISOString() };
    let claimed = false;
    const claiming = first
      ? Promise.resolve(undefined)
      : this.handouts.claim(secret.id, handout, step.untilMs).then(
          (earlier) => {
            claimed = earlier === undefined;
            return earlier;
          },
          // The claim only serves the next caller's warning: failing it must not take back a code whose
          // audit event is already durable, nor leave that event describing a code nobody received.
          () => undefined,
        );
    const reusedAsRead = first && first.principal !== me ? first : undefined;
    const reuseDetails: AuditDetails = reusedAsRead ? { alreadyHandedOutTo: reusedAsRead.principal, alreadyHandedOutAt: reusedAsRead.at } : {};
    const record = { reason: 'otp generated', details: { type: 'totp', ...steamDetail(params), timeStep: step.timeStep, waitedMs, ...reuseDetails } };
    const binding = bindings.seed(secret.id, secret.otp.field, seed.version);
    const answer = this.sealed.reveal(
      audit,
      record,
      seed.ciphertext,
      binding,
      (key, earlier): OtpAnswer => {
        const totp = totpAt(key, params, now);
        const reused = reusedAsRead ?? (earlier && earlier.principal !== me ? earlier : undefined);
        vaultMetrics.codeHandedOut('otp');
        return {
          code: totp.code,
          type: 'totp',
          digits: params.digits,
          encoder: encoderOf(params),
          period: params.period,
          algorithm: params.algorithm,
          timeStep: totp.timeStep,
          counter: null,
          validFrom: totp.validFrom,
          validUntil: totp.validUntil,
          secondsRemaining: totp.secondsRemaining,
          serverTime: new Date(now).toISOString(),
          ...(reused ? { alreadyHandedOut: { to: reused.principal, at: reused.at, nextCodeAt: new Date(step.untilMs).toISOString() } } : {}),
        };
      },
      claiming,
    );
    // No code left: a claim of this step must not warn the next caller about it.
    return answer.catch(async (error: unknown) => {
      await claiming;
      if (claimed) await this.handouts.release(secret.id, handout).catch(() => undefined);
      throw error;
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
        encoder: encoderOf(seed.params),
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

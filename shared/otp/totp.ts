import { hotpValue, otpauthSecret } from './hotp';
import { assertUsable, type OtpParams } from './params';

export interface TotpCode {
  /** The code, `digits` long, with leading zeros. */
  code: string;
  /** RFC 6238 T: whole periods since the Unix epoch (T0 = 0). */
  timeStep: number;
  /** ISO 8601 time at which the step starts. */
  validFrom: string;
  /** ISO 8601 time at which the next step starts. */
  validUntil: string;
  /** Whole seconds left in the step, rounded up: 1 to `period`. */
  secondsRemaining: number;
}

/** One TOTP time step: its number and when it starts and ends, in epoch milliseconds. */
export interface StepWindow {
  timeStep: number;
  fromMs: number;
  untilMs: number;
}

/**
 * The time step containing `nowMs` and its bounds (RFC 6238 section 4.2, T0 = 0): the one place
 * step arithmetic is done.
 *
 * @param p - parameters (`period` is used)
 * @param nowMs - milliseconds since the Unix epoch
 * @example
 * stepWindow({ ...OTP_DEFAULTS }, 59_000); // { timeStep: 1, fromMs: 30_000, untilMs: 60_000 }
 */
export function stepWindow(p: Pick<OtpParams, 'period'>, nowMs: number): StepWindow {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError('the time must be a finite number of milliseconds since 1970');
  const stepMs = p.period * 1000;
  const timeStep = Math.floor(nowMs / stepMs);
  return { timeStep, fromMs: timeStep * stepMs, untilMs: (timeStep + 1) * stepMs };
}

/**
 * The time step containing `nowMs` (RFC 6238 section 4.2, T0 = 0).
 *
 * @param p - parameters (`period` is used)
 * @param nowMs - milliseconds since the Unix epoch
 * @example
 * timeStepAt({ ...OTP_DEFAULTS }, 59_000); // 1
 */
export function timeStepAt(p: Pick<OtpParams, 'period'>, nowMs: number): number {
  return stepWindow(p, nowMs).timeStep;
}

/**
 * The TOTP code at a given time, with the step it belongs to (RFC 6238). The HMAC and truncation are
 * otpauth's HOTP over the time step, as otpauth's own TOTP does.
 *
 * @param key - raw key bytes
 * @param p - parameters (algorithm, digits and period are used; the type is not checked)
 * @param nowMs - milliseconds since the Unix epoch; injected so callers and tests control the clock
 * @example
 * totpAt(new TextEncoder().encode('12345678901234567890'), { ...OTP_DEFAULTS, digits: 8 }, 59_000).code; // '94287082'
 */
export function totpAt(key: Uint8Array, p: OtpParams, nowMs: number): TotpCode {
  assertUsable(key, p);
  const { timeStep, fromMs, untilMs } = stepWindow(p, nowMs);
  return {
    code: hotpValue(otpauthSecret(key), p, timeStep),
    timeStep,
    validFrom: new Date(fromMs).toISOString(),
    validUntil: new Date(untilMs).toISOString(),
    secondsRemaining: Math.ceil((untilMs - nowMs) / 1000),
  };
}

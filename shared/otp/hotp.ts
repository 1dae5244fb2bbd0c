import { HOTP, Secret } from 'otpauth';
import { assertUsable, encoderOf, OTP_LIMITS, type OtpParams } from './params';
import { steamCode } from './steam';

/** Wraps key bytes for otpauth, on a copy, so the caller's array is never shared. */
export function otpauthSecret(key: Uint8Array): Secret {
  return new Secret({ buffer: Uint8Array.from(key).buffer });
}

/**
 * The code for one counter: otpauth's HMAC and dynamic truncation (RFC 4226 section 5.3), written as
 * `digits` decimal digits or, for the `steam` encoder, as a Steam Guard code.
 */
export function hotpValue(secret: Secret, p: OtpParams, counter: number): string {
  if (encoderOf(p) === 'steam') return steamCode(secret, counter);
  return HOTP.generate({ secret, algorithm: p.algorithm, digits: p.digits, counter });
}

/**
 * The HOTP code for a counter (RFC 4226). Works for TOTP parameters too (then `counter` is a time step).
 *
 * @param key - raw key bytes
 * @param p - parameters (algorithm and digits are used)
 * @param counter - the moving factor, 0 to 2^53 - 1
 * @example
 * hotpAt(new TextEncoder().encode('12345678901234567890'), { ...OTP_DEFAULTS, type: 'hotp' }, 0); // '755224'
 */
export function hotpAt(key: Uint8Array, p: OtpParams, counter: number): string {
  assertUsable(key, p);
  if (!Number.isSafeInteger(counter) || counter < OTP_LIMITS.counter.min) {
    throw new RangeError('counter must be a whole number from 0 to 2^53 - 1');
  }
  return hotpValue(otpauthSecret(key), p, counter);
}

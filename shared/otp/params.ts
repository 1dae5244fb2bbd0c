/** How a one-time password is computed: RFC 4226 (HOTP) or RFC 6238 (TOTP) parameters. */
import { STEAM_GUARD } from './steam';

export type OtpType = 'totp' | 'hotp';
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
/** How the truncated HMAC value is written: `decimal` digits (RFC 4226) or Steam Guard's 5 letters and digits. */
export type OtpEncoder = 'decimal' | 'steam';

/** The algorithms of the Key Uri Format (Google wiki), in their canonical spelling. */
export const OTP_ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];

export interface OtpParams {
  /** `totp` (time-based, RFC 6238) or `hotp` (counter-based, RFC 4226). */
  type: OtpType;
  /** HMAC hash. Default `SHA1`. */
  algorithm: OtpAlgorithm;
  /** Code length in characters: 6 to 8 decimal digits, or 5 for Steam Guard. Default 6. */
  digits: number;
  /** TOTP time step in seconds. Default 30; kept at the default for HOTP. */
  period: number;
  /** HOTP: the counter of the next code to accept. Always 0 for TOTP. */
  counter: number;
  /** Who issued the key (e.g. `ACME Co`), or `''`. */
  issuer: string;
  /** Which account of the issuer (e.g. `alice@example.com`), or `''`. */
  account: string;
  /**
   * How codes are written; absent means `decimal` (seeds stored before Steam Guard support have none).
   * `steam` implies TOTP, SHA1, 5 characters and 30 s (see `steam.ts`).
   */
  encoder?: OtpEncoder;
}

/** The encoder of stored or parsed parameters, `decimal` when absent. */
export const encoderOf = (p: Pick<OtpParams, 'encoder'>): OtpEncoder => p.encoder ?? 'decimal';

/** Audit details name the Steam Guard encoder; decimal seeds keep the details they always had. */
export const steamDetail = (p: Pick<OtpParams, 'encoder'>): { encoder?: 'steam' } => (p.encoder === 'steam' ? { encoder: 'steam' } : {});

/** Values used where a URI or setup key leaves a parameter out. */
export const OTP_DEFAULTS = {
  type: 'totp',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: 0,
  issuer: '',
  account: '',
} as const satisfies OtpParams;

export const OTP_LIMITS = {
  /**
   * RFC 4226 needs at least 6 digits; the wiki lists 6 or 8. 7 is accepted because otpauth and otplib
   * accept it and real keys use it (corpus `otpauth-empty-issuer-prefix`). 9 or more digits would need
   * more than the 31 bits dynamic truncation yields, so they would not be uniformly distributed.
   */
  digits: { min: 6, max: 8 },
  /**
   * Seconds. RFC 6238 recommends 30 and some issuers use 60 or shorter ones (5, 10, 15 in the corpus).
   * Above 5 minutes, accepting one step of clock skew either way would keep a code valid for 15 minutes,
   * no issuer we know does it, and such a value usually means the field was misread (milliseconds?).
   */
  period: { min: 1, max: 300 },
  /**
   * Key bytes. RFC 4226 asks for at least 16, but common keys are 10 bytes (16 base32 characters) and the
   * corpus holds a 6-byte one, and we store what the issuer chose. Below 5 bytes (one full base32 block
   * of 8 characters) the input is almost certainly truncated. Above 128 bytes (the HMAC-SHA512 block)
   * HMAC would hash the key down anyway, so such an input is more likely the wrong field.
   */
  keyBytes: { min: 5, max: 128 },
  /** HOTP counters are 8-byte big-endian values; we keep them exact as JavaScript numbers. */
  counter: { min: 0, max: Number.MAX_SAFE_INTEGER },
  /** `matchesCode` for TOTP accepts the current step and this many steps before and after (clock skew). */
  totpSkewSteps: 1,
  /**
   * `matchesCode` for HOTP accepts counters `counter` to `counter + hotpLookAhead`: a device's counter
   * runs ahead when its button is pressed without the code being used (RFC 4226 section 7.4).
   */
  hotpLookAhead: 10,
} as const;

const isWholeIn = (value: number, range: { min: number; max: number }): boolean =>
  Number.isSafeInteger(value) && value >= range.min && value <= range.max;

/**
 * Says what is wrong with parameters, as a sentence safe to show (no key material), or `undefined`.
 *
 * @param p - the parameters to check
 * @example
 * otpParamsProblem({ ...OTP_DEFAULTS, digits: 9 }); // 'digits must be a whole number from 6 to 8'
 */
export function otpParamsProblem(p: OtpParams): string | undefined {
  if (p.type !== 'totp' && p.type !== 'hotp') return 'type must be totp or hotp';
  if (!OTP_ALGORITHMS.includes(p.algorithm)) return 'algorithm must be SHA1, SHA256 or SHA512';
  if (!isWholeIn(p.counter, OTP_LIMITS.counter)) return 'counter must be a whole number from 0 to 2^53 - 1';
  const encoder = encoderOf(p);
  if (encoder === 'steam') {
    const { algorithm, digits, period } = STEAM_GUARD;
    if (p.type !== 'totp' || p.algorithm !== algorithm || p.digits !== digits || p.period !== period) {
      return `Steam Guard codes are totp, ${algorithm}, ${digits} characters, ${period} s`;
    }
    return undefined;
  }
  if (encoder !== 'decimal') return 'encoder must be decimal or steam';
  if (!isWholeIn(p.digits, OTP_LIMITS.digits)) {
    return `digits must be a whole number from ${OTP_LIMITS.digits.min} to ${OTP_LIMITS.digits.max}`;
  }
  if (!isWholeIn(p.period, OTP_LIMITS.period)) {
    return `period must be a whole number of seconds from ${OTP_LIMITS.period.min} to ${OTP_LIMITS.period.max}`;
  }
  return undefined;
}

/**
 * Says what is wrong with a key's length, or `undefined`. Only the length is inspected.
 *
 * @param key - the raw key bytes
 * @example
 * keyLengthProblem(new Uint8Array(20)); // undefined
 */
export function keyLengthProblem(key: Uint8Array): string | undefined {
  const { min, max } = OTP_LIMITS.keyBytes;
  if (key.length < min) return `the key is too short: at least ${min} bytes (${Math.ceil((min * 8) / 5)} base32 characters) are needed`;
  if (key.length > max) return `the key is too long: at most ${max} bytes (${Math.ceil((max * 8) / 5)} base32 characters) are accepted`;
  return undefined;
}

/** Throws a `RangeError` (a server-side fault: stored parameters are validated at intake) if unusable. */
export function assertUsable(key: Uint8Array, p: OtpParams): void {
  const problem = keyLengthProblem(key) ?? otpParamsProblem(p);
  if (problem !== undefined) throw new RangeError(`unusable OTP parameters: ${problem}`);
}

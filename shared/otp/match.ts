import { timingSafeEqual } from 'node:crypto';
import { isCodeShaped } from './codeText';
import { hotpValue, otpauthSecret } from './hotp';
import { assertUsable, OTP_LIMITS, type OtpParams } from './params';
import { timeStepAt } from './totp';

/** Which counter (HOTP) or time step (TOTP) a code belongs to. */
export interface CodeMatch {
  /** The HOTP counter or TOTP time step that produced the code. */
  counter: number;
}

/** The counters to try: TOTP the current step and `totpSkewSteps` around it, HOTP `counter..counter+hotpLookAhead`. */
function candidateCounters(p: OtpParams, nowMs: number): number[] {
  if (p.type === 'hotp') {
    const last = Math.min(p.counter + OTP_LIMITS.hotpLookAhead, OTP_LIMITS.counter.max);
    return Array.from({ length: last - p.counter + 1 }, (_, i) => p.counter + i);
  }
  const step = timeStepAt(p, nowMs);
  const skew = OTP_LIMITS.totpSkewSteps;
  return Array.from({ length: 2 * skew + 1 }, (_, i) => step - skew + i).filter((s) => s >= 0);
}

/**
 * Finds the counter or time step a code belongs to. Every candidate is computed and compared in constant
 * time, without stopping at the first hit, so the timing does not tell which one matched.
 *
 * @param key - raw key bytes
 * @param p - parameters; for HOTP `counter` is the next expected counter
 * @param code - the code to check; anything not shaped like the seed's codes (`isCodeShaped`) never matches
 * @param nowMs - milliseconds since the Unix epoch (ignored for HOTP)
 * @example
 * matchCode(key, { ...params, type: 'hotp', counter: 3 }, '969429', 0); // { counter: 3 } for the RFC 4226 key
 */
export function matchCode(key: Uint8Array, p: OtpParams, code: string, nowMs: number): CodeMatch | undefined {
  assertUsable(key, p);
  if (!isCodeShaped(p, code)) return undefined;
  const secret = otpauthSecret(key);
  const given = Buffer.from(code, 'latin1');
  let found: number | undefined;
  for (const counter of candidateCounters(p, nowMs)) {
    const expected = Buffer.from(hotpValue(secret, p, counter), 'latin1');
    if (timingSafeEqual(given, expected) && found === undefined) found = counter;
  }
  return found === undefined ? undefined : { counter: found };
}

/**
 * Whether a code is valid now: TOTP the current step ±1, HOTP `counter` to `counter + 10`
 * (see `OTP_LIMITS`). Compared in constant time.
 *
 * @param key - raw key bytes
 * @param p - parameters
 * @param code - the code to check
 * @param nowMs - milliseconds since the Unix epoch (ignored for HOTP)
 * @example
 * matchesCode(key, params, totpAt(key, params, now).code, now); // true
 */
export function matchesCode(key: Uint8Array, p: OtpParams, code: string, nowMs: number): boolean {
  return matchCode(key, p, code, nowMs) !== undefined;
}

import { InvalidInputError, InvalidSeedError } from '../errors';
import { codeKind, encoderOf, isCodeShaped, isInCodeAlphabet, matchCode, normalizedCode, OTP_LIMITS, STEAM_ALPHABET } from '../otp';
import type { Seed } from './types';

/**
 * Checks that the code a device shows now comes from this seed, so a mistyped key or a wrong parameter is
 * caught at intake rather than at the first login. TOTP: the current step or one step either side.
 * HOTP: counters `counter` to `counter + OTP_LIMITS.hotpLookAhead`; on a match the seed's counter moves
 * past the matched one, since the device has now used it. Spaces in the code are ignored ("123 456"), and
 * Steam Guard codes may be typed in lower case.
 *
 * @param seed - the seed read from the input
 * @param verifyCode - the code the device shows
 * @param nowMs - milliseconds since the Unix epoch
 * @example
 * verifySeed(seed, '287 082', Date.now()); // the seed, with the HOTP counter advanced if it is HOTP
 */
export function verifySeed(seed: Seed, verifyCode: string, nowMs: number): Seed {
  const p = seed.params;
  const code = normalizedCode(p, verifyCode);
  const steam = encoderOf(p) === 'steam';
  if (!isInCodeAlphabet(p, code)) {
    const allowed = steam ? `Steam Guard codes use only the characters ${STEAM_ALPHABET}` : 'digits only';
    throw new InvalidInputError(`verifyCode must be the code the device shows: ${allowed}`, { field: 'verifyCode' });
  }
  if (!isCodeShaped(p, code)) {
    const [unit, check] = steam ? ['characters', 'is it the code the Steam app shows?'] : ['digits', 'check the digits setting'];
    throw new InvalidSeedError(`the code from the device has ${code.length} ${unit} but this seed makes ${codeKind(p)}: ${check}`, {
      field: 'verifyCode',
    });
  }
  const match = matchCode(seed.key, p, code, nowMs);
  if (match === undefined) {
    const hint = steam
      ? "check that the key is the Steam Guard shared secret (base32) and that the device's clock is right"
      : p.type === 'totp'
        ? `check that the algorithm (${p.algorithm}), digits (${p.digits}) and period (${p.period} s) are what the service stated, and that the device's clock is right`
        : `check that the algorithm (${p.algorithm}) and digits (${p.digits}) are what the service stated, and that the device's counter is within ${OTP_LIMITS.hotpLookAhead} of ${p.counter}`;
    throw new InvalidSeedError(`the code from the device does not match this seed: ${hint}`, { field: 'verifyCode' });
  }
  if (p.type === 'hotp') return { ...seed, params: { ...p, counter: match.counter + 1 } };
  return seed;
}

import { HOTP, type Secret } from 'otpauth';

/*
 * Steam Guard codes (Valve's mobile authenticator): RFC 6238 TOTP with HMAC-SHA1 and 30 s steps, but the
 * 31-bit value of RFC 4226 dynamic truncation is written in base 26, least significant first, in Steam's
 * alphabet (no vowels, no 0/1), 5 characters. Public reimplementations agree on it (KeePassXC's "steam"
 * encoder, node-steam-totp, ValvePython/steam), and KeePassXC's tests carry codes read off the Steam app.
 */

/** Steam's code alphabet: 26 characters, so one code character is one base-26 digit. */
export const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

/** The only parameters Steam Guard uses; a URI stating anything else is not a Steam Guard key. */
export const STEAM_GUARD = { algorithm: 'SHA1', digits: 5, period: 30 } as const;

/**
 * More decimal digits than dynamic truncation's 31 bits ever fill (2^31 < 10^10), so otpauth's
 * `value % 10^digits` leaves the truncated value whole and HMAC and truncation stay otpauth's.
 */
const WHOLE_TRUNCATED_VALUE_DIGITS = 10;

/**
 * The RFC 4226 dynamically truncated value (31 bits) for one counter, HMAC-SHA1 by otpauth.
 *
 * @param secret - the key, wrapped for otpauth
 * @param counter - the HOTP counter or TOTP time step
 * @example
 * truncatedValue(secret, 0); // 1284755224 for the RFC 4226 key (Appendix D)
 */
export function truncatedValue(secret: Secret, counter: number): number {
  return Number(HOTP.generate({ secret, algorithm: STEAM_GUARD.algorithm, digits: WHOLE_TRUNCATED_VALUE_DIGITS, counter }));
}

/**
 * The Steam Guard code for one time step.
 *
 * @param secret - the key, wrapped for otpauth
 * @param timeStep - whole 30 s periods since the Unix epoch
 * @example
 * steamCode(secret, 50_373_350); // 'FR8RV' for KeePassXC's Steam test key
 */
export function steamCode(secret: Secret, timeStep: number): string {
  let value = truncatedValue(secret, timeStep);
  let code = '';
  for (let i = 0; i < STEAM_GUARD.digits; i += 1) {
    code += STEAM_ALPHABET[value % STEAM_ALPHABET.length];
    value = Math.floor(value / STEAM_ALPHABET.length);
  }
  return code;
}

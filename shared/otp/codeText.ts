import { encoderOf, type OtpParams } from './params';
import { STEAM_ALPHABET } from './steam';

const STEAM_CODE = new RegExp(`^[${STEAM_ALPHABET}]+$`);

/**
 * A code as people type it, in the form the generator writes: white space dropped ("123 456"), and
 * Steam Guard codes in upper case (the Steam app shows upper case; the alphabet has no case pairs to confuse).
 *
 * @param p - the seed's parameters (the encoder is used)
 * @param text - the code as typed
 * @example
 * normalizedCode({ ...OTP_DEFAULTS, encoder: 'steam' }, 'fr8 rv'); // 'FR8RV'
 */
export function normalizedCode(p: Pick<OtpParams, 'encoder' | 'digits'>, text: string): string {
  const compact = text.replace(/\s+/g, '');
  return encoderOf(p) === 'steam' ? compact.toUpperCase() : compact;
}

/**
 * Whether `code` has the shape the seed's codes have: `digits` decimal digits, or `digits` characters of
 * Steam's alphabet. Says nothing about whether it is the right code.
 *
 * @param p - the seed's parameters (encoder and digits are used)
 * @param code - a normalized code (see `normalizedCode`)
 * @example
 * isCodeShaped({ ...OTP_DEFAULTS }, '287082'); // true
 */
export function isCodeShaped(p: Pick<OtpParams, 'encoder' | 'digits'>, code: string): boolean {
  return code.length === p.digits && isInCodeAlphabet(p, code);
}

/**
 * Whether every character of `code` can occur in the seed's codes (decimal digits, or Steam's alphabet),
 * whatever its length.
 *
 * @param p - the seed's parameters (the encoder is used)
 * @param code - a normalized code (see `normalizedCode`)
 * @example
 * isInCodeAlphabet({ ...OTP_DEFAULTS, encoder: 'steam' }, 'FR8RV'); // true
 */
export function isInCodeAlphabet(p: Pick<OtpParams, 'encoder' | 'digits'>, code: string): boolean {
  return encoderOf(p) === 'steam' ? STEAM_CODE.test(code) : /^[0-9]+$/.test(code);
}

/**
 * How people would describe the seed's codes, for messages: "6-digit codes", "5-character Steam Guard codes".
 *
 * @param p - the seed's parameters (encoder and digits are used)
 * @example
 * codeKind({ ...OTP_DEFAULTS, digits: 8 }); // '8-digit codes'
 */
export function codeKind(p: Pick<OtpParams, 'encoder' | 'digits'>): string {
  return encoderOf(p) === 'steam' ? `${p.digits}-character Steam Guard codes` : `${p.digits}-digit codes`;
}

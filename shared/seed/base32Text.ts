import { InvalidSeedError } from '../errors';
import { fromBase32, isCanonicalBase32, keyLengthProblem } from '../otp';

const BASE32_ALPHABET = /^[A-Z2-7]*$/;

function decodeChecked(text: string, what: string, field: string): Uint8Array {
  if (text.length === 0) throw new InvalidSeedError(`the ${what} is empty`, { field });
  if (!BASE32_ALPHABET.test(text)) {
    const hint = /[0189]/.test(text) ? ' (0, 1, 8 and 9 never occur: check for O/0 and I/1 mix-ups)' : '';
    throw new InvalidSeedError(`the ${what} is not base32: only the letters A to Z and the digits 2 to 7 may occur${hint}`, { field });
  }
  if (!isCanonicalBase32(text)) {
    throw new InvalidSeedError(`the ${what} has a length that no base32 encoder produces: is it cut short or mistyped?`, { field });
  }
  const key = fromBase32(text);
  const problem = keyLengthProblem(key);
  if (problem !== undefined) throw new InvalidSeedError(`the ${what} is unusable: ${problem}`, { field });
  return key;
}

/** Upper case and without trailing `=` padding (RFC 3548 padding is optional in the Key Uri Format). */
const unpadded = (text: string): string => text.toUpperCase().replace(/=+$/, '');

/**
 * Decodes the `secret=` value of an otpauth:// URI (already percent-decoded). Policy: case-insensitive,
 * padding optional, but no spaces: URIs are made by programs, and a space there means the URI was damaged
 * (corpus `secret-with-spaces`), unlike a setup key that a person typed.
 *
 * @param value - the decoded parameter value
 * @example
 * secretFromUriParam('jbswy3dpee======'); // bytes of 'Hello!'
 */
export function secretFromUriParam(value: string): Uint8Array {
  if (/\s/.test(value)) {
    throw new InvalidSeedError('the secret parameter contains spaces: a URI carries the key without separators', { field: 'uri' });
  }
  return decodeChecked(unpadded(value), 'secret parameter', 'uri');
}

/**
 * Decodes a setup key as people copy or type it: spaces, tabs, line breaks and dashes between groups
 * are dropped, lower case is accepted, and padding is optional.
 *
 * @param text - the setup key as given
 * @example
 * secretFromSetupKey('jbsw y3dp ehpk 3pxp'); // the wiki's example key
 */
export function secretFromSetupKey(text: string): Uint8Array {
  if (/^\s*otpauth(-migration)?:/i.test(text)) {
    throw new InvalidSeedError('the setup key looks like an otpauth:// URI: send it as uri instead', { field: 'setupKey' });
  }
  const compact = text.replace(/[\s\u00a0\u200b\u2010-\u2015-]+/g, '');
  return decodeChecked(unpadded(compact), 'setup key', 'setupKey');
}

import { InvalidSeedError } from '../errors';

/** The pieces of `scheme://authority/path?query`, split without decoding anything. */
export interface UriParts {
  /** Lower case (RFC 3986: schemes are case-insensitive). */
  scheme: string;
  /** Between `//` and the first `/` or `?`: the OTP type, or `offline` for exports. As written. */
  authority: string;
  /** From the `/` after the authority (inclusive) to the `?`, or `''`. */
  path: string;
  /** After the first `?`, or `undefined` when there is none. */
  query: string | undefined;
}

/**
 * The scheme of a URI-looking text in lower case, or `undefined`.
 *
 * @param text - any text
 * @example
 * uriScheme(' OTPAUTH://totp/x'); // 'otpauth'
 */
export function uriScheme(text: string): string | undefined {
  return /^\s*([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
}

/**
 * Splits a URI after the checks every seed URI gets: surrounding white space is dropped, then the length
 * is capped and control characters are refused. `#` is not treated as a fragment: seed URIs have none, and
 * an unescaped `#` is far likelier part of an issuer name, where cutting there could silently drop
 * `algorithm` or `digits`.
 *
 * @param uri - the URI as given
 * @param maxLength - the largest accepted length
 * @param field - the input field named in errors
 * @example
 * splitUri('otpauth://totp/a?secret=X', 2048, 'uri'); // { scheme: 'otpauth', authority: 'totp', path: '/a', query: 'secret=X' }
 */
export function splitUri(uri: string, maxLength: number, field: string): UriParts {
  const text = uri.trim();
  if (text.length > maxLength) {
    throw new InvalidSeedError(`the URI is longer than ${maxLength} characters`, { field, maxLength });
  }
  if (/[\u0000-\u001f\u007f]/.test(text)) {
    throw new InvalidSeedError('the URI contains control characters (such as line breaks)', { field });
  }
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?]*)([^?]*)(?:\?(.*))?$/is.exec(text);
  if (match === null) throw new InvalidSeedError('not an otpauth:// URI', { field });
  const [, scheme = '', authority = '', path = '', query] = match;
  return { scheme: scheme.toLowerCase(), authority, path, query };
}

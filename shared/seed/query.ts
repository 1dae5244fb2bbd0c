import { InvalidSeedError } from '../errors';

export interface QueryOptions {
  /**
   * Whether `+` means a space (HTML form encoding, as URLSearchParams reads it). Policy for otpauth://
   * parameters: yes, since exporters write `issuer=ACME+Co` for "ACME Co" (corpus `plus-in-issuer-param`);
   * `+` is never valid in the other parameters anyway. For the base64 `data` of an export: no, `+` is a
   * base64 character there.
   */
  plusIsSpace: boolean;
  /** The input field named in errors. */
  field: string;
}

/**
 * Reads the parameters named in `known` from a raw query string. Policy:
 * - names are case-insensitive (`SECRET=` works, as in otpauth);
 * - a piece without `=` is skipped, as otplib does (corpus `otplib-malformed-param-skipped`), and so is any
 *   parameter we do not know (`image=`, `color=`...), without even decoding it;
 * - a known parameter given twice with different values (compared after decoding) is refused, naming
 *   it: which one a device would take is unknown (parsers differ: first wins, last wins, error), and a
 *   second `secret=` or `digits=` is how a tampered URI would smuggle in a different value. Given twice
 *   with the same value it is accepted: every reading gives the same key and codes, so refusing would only
 *   lock out a seed for its form (`digits=6&digits=06` differ as text and are refused);
 * - a malformed percent-escape in a known parameter is refused, naming the parameter but not the value.
 *
 * @param query - the text after `?`, not decoded
 * @param known - lower-case names to keep
 * @param options - decoding options
 * @example
 * parseQuery('SECRET=ABC&issuer=ACME+Co&x&issuer=ACME%20Co', ['secret', 'issuer'], { plusIsSpace: true, field: 'uri' });
 * // Map { 'secret' => 'ABC', 'issuer' => 'ACME Co' }
 */
export function parseQuery(query: string, known: readonly string[], options: QueryOptions): Map<string, string> {
  const found = new Map<string, string>();
  for (const piece of query.split('&')) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const name = safeDecode(piece.slice(0, eq))?.toLowerCase();
    if (name === undefined || !known.includes(name)) continue;
    const raw = piece.slice(eq + 1);
    const value = safeDecode(options.plusIsSpace ? raw.replace(/\+/g, ' ') : raw);
    if (value === undefined) {
      throw new InvalidSeedError(`the ${name} parameter has a malformed percent-escape (such as %ZZ)`, { field: options.field, parameter: name });
    }
    const earlier = found.get(name);
    if (earlier !== undefined && earlier !== value) {
      throw new InvalidSeedError(
        `the ${name} parameter appears more than once with different values: which one the device uses is unknown, so the URI is refused`,
        { field: options.field, parameter: name },
      );
    }
    found.set(name, value);
  }
  return found;
}

/** `decodeURIComponent`, or `undefined` for a malformed escape or invalid UTF-8. */
export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

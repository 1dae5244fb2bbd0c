import { InvalidSeedError } from '../errors';
import { safeDecode } from './query';
import { SEED_LIMITS } from './limits';

export interface Label {
  /** The issuer prefix before `:`, or `undefined` when the label has none (an empty prefix gives `''`). */
  prefix: string | undefined;
  account: string;
}

/**
 * Splits a raw (still percent-encoded) key-URI label per the wiki's ABNF:
 * `label = accountname / issuer (":" / "%3A") *"%20" accountname`. The split is made at the first `:` or
 * `%3A` (any case) before decoding, so an encoded colon inside the account cannot move it. Each part is
 * then percent-decoded (`+` stays `+`: a path is not form-encoded) and trimmed, which removes the
 * `%20` or literal spaces after the separator (corpus `wiki-label-encoded-colon-and-space`, where otpauth
 * keeps the space).
 *
 * @param raw - the label as it appears in the URI path, without the leading `/`
 * @example
 * splitLabel('Big%20Corporation%3A%20alice%40bigco.com'); // { prefix: 'Big Corporation', account: 'alice@bigco.com' }
 */
export function splitLabel(raw: string): Label {
  if (raw.length > SEED_LIMITS.maxLabelLength) {
    throw new InvalidSeedError(`the label of the URI is longer than ${SEED_LIMITS.maxLabelLength} characters`, {
      field: 'uri',
      maxLength: SEED_LIMITS.maxLabelLength,
    });
  }
  const separator = /:|%3a/i.exec(raw);
  const rawPrefix = separator === null ? undefined : raw.slice(0, separator.index);
  const rawAccount = separator === null ? raw : raw.slice(separator.index + separator[0].length);
  return {
    prefix: rawPrefix === undefined ? undefined : decodeLabelPart(rawPrefix),
    account: decodeLabelPart(rawAccount),
  };
}

function decodeLabelPart(raw: string): string {
  const decoded = safeDecode(raw);
  if (decoded === undefined) {
    throw new InvalidSeedError('the label of the URI has a malformed percent-escape (such as %ZZ)', { field: 'uri' });
  }
  return decoded.trim();
}

import { InvalidSeedError } from '../errors';
import { OTP_ALGORITHMS, OTP_DEFAULTS, OTP_LIMITS, STEAM_GUARD, type OtpAlgorithm, type OtpParams, type OtpType } from '../otp';
import { secretFromUriParam } from './base32Text';
import { splitLabel } from './label';
import { SEED_LIMITS } from './limits';
import { parseQuery } from './query';
import type { Seed, SeedWarning } from './types';
import { splitUri } from './uriParts';

/*
 * Policy for otpauth:// URIs (Key Uri Format, github.com/google/google-authenticator/wiki/Key-Uri-Format),
 * answering the corpus' `policyQuestionsForTheVault` (/work/shared/corpus/otpauth-uris.json):
 *
 * 1. Issuer conflict (label prefix != issuer parameter): ACCEPT, keep the parameter (as otpauth and the
 *    wiki's "issuer parameter preferred" do) and attach an `issuerConflict` warning to the seed. Rejecting
 *    would block real keys whose issuer was renamed, and the issuer is only a display name: codes do not
 *    depend on it. The warning lets the API show both names.
 * 2. digits: 6, 7 or 8 (OTP_LIMITS.digits explains why); 5 or 9 are refused with the range. Steam Guard
 *    (point 9) is the one exception: 5 characters.
 * 3. algorithm: SHA1, SHA256 or SHA512 in any case ("sha256" is fine), but "SHA-256" is REFUSED (corpus
 *    `algorithm-hyphenated`): it is not a value of the format, and a generator that invents its own
 *    spelling may also disagree with us on other parameters; the message names the accepted values.
 * 4. "+" in a query value is a space (form encoding); "+" in the label path stays "+" (see query.ts, label.ts).
 * 5. A query piece without "=" is skipped (otplib); unknown parameters are ignored unless they change the
 *    codes (point 10); a known parameter given twice with different values is refused, with the same value
 *    accepted (see query.ts).
 * 6. Length: the URI is capped at 2048 characters and the raw label at 512 (otplib's caps, SEED_LIMITS).
 * 7. No label (`otpauth://totp?secret=...`): ACCEPTED, as otpauth and otplib do. The label only names the
 *    account; the issuer comes from the `issuer` parameter and the account name is left empty.
 * 8. HOTP `counter=N` is the counter of the next code: the first code handed out is the one for N.
 * 9. Steam Guard: `encoder=steam` (KeePassXC's parameter), `otpauth://steam/...` (Aegis' type), or a TOTP
 *    URI whose issuer is Steam and that states nothing else (Steam's own enrolment URI,
 *    `otpauth://totp/Steam:name?secret=...&issuer=Steam`, has no encoder; 6 decimal digits from it would
 *    never log in, so the vault makes Steam codes and warns `steamGuardAssumed`). Steam Guard is always
 *    SHA1, 5 characters, 30 s: a URI that also says otherwise is refused, naming the parameter.
 * 10. Parameters that change the codes and that the vault does not implement are refused by name, never
 *    ignored: `encoder` other than steam, and `pin` (mOTP and Yandex.Key mix a PIN into each code).
 * Further decisions: scheme, type and parameter names are case-insensitive; an empty optional parameter
 * (`issuer=`, `digits=`) counts as absent, so an empty `issuer=` falls back to the label prefix; `counter`
 * is required for hotp (wiki) and ignored for totp, `period` is ignored for hotp (no implementation uses
 * either there); display-only parameters (`image`, `color`, `icon`, `lock`, `tags`...) are ignored; the
 * secret may be lower case or padded but must not contain spaces (see base32Text.ts).
 */

const KNOWN_PARAMETERS = ['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter', 'encoder'] as const;
type KnownParameter = (typeof KNOWN_PARAMETERS)[number];

/** Parameters other implementations use to change the codes, with why the vault cannot follow them. */
const REFUSED_PARAMETERS: Readonly<Record<string, string>> = {
  pin: 'the pin parameter is not supported: codes for such keys (mOTP, Yandex.Key) also depend on a PIN, which the vault does not implement',
};

/** A value short and plain enough to quote back in a message (never used for the secret). */
const quotable = (value: string): string => (/^[A-Za-z0-9_.-]{1,24}$/.test(value) ? ` "${value}"` : '');

/**
 * Reads an `otpauth://totp/...` or `otpauth://hotp/...` key URI into a seed, following the Key Uri Format
 * with the vault's policy (see the comment above). Errors never quote the URI or the secret.
 *
 * @param uri - the URI as scanned or pasted
 * @example
 * const seed = parseOtpauthUri('otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example');
 * seed.params.issuer; // 'Example'
 */
export function parseOtpauthUri(uri: string): Seed {
  const parts = splitUri(uri, SEED_LIMITS.maxUriLength, 'uri');
  if (parts.scheme === 'otpauth-migration') {
    throw new InvalidSeedError(
      'this is a Google Authenticator export (otpauth-migration://), not a single-account otpauth:// URI: it must be read with the export decoder',
      { field: 'uri' },
    );
  }
  if (parts.scheme !== 'otpauth') throw new InvalidSeedError('not an otpauth:// URI', { field: 'uri' });
  const written = parts.authority.toLowerCase();
  if (written !== 'totp' && written !== 'hotp' && written !== 'steam') {
    const named = /^[a-z0-9-]{1,16}$/.test(written) ? `otpauth://${written}/ keys are not supported: ` : '';
    throw new InvalidSeedError(`${named}the type in otpauth://TYPE/ must be totp, hotp or steam (Steam Guard)`, { field: 'uri' });
  }
  const type: OtpType = written === 'hotp' ? 'hotp' : 'totp';
  // No label at all (`otpauth://totp?secret=...`): parts.path is ''.
  const label = parts.path === '' ? { prefix: undefined, account: '' } : splitLabel(parts.path.slice(1));
  const query = parseQuery(parts.query ?? '', [...KNOWN_PARAMETERS, ...Object.keys(REFUSED_PARAMETERS)], { plusIsSpace: true, field: 'uri' });
  for (const [name, reason] of Object.entries(REFUSED_PARAMETERS)) {
    if ((query.get(name) ?? '') !== '') throw new InvalidSeedError(reason, { field: 'uri', parameter: name });
  }
  const secret = query.get('secret');
  if (secret === undefined) throw new InvalidSeedError('the URI has no secret parameter', { field: 'uri' });
  const key = secretFromUriParam(secret);

  const given = (name: KnownParameter): string | undefined => {
    const value = query.get(name);
    return value === undefined || value === '' ? undefined : value;
  };
  const issuerParameter = given('issuer')?.trim() || undefined;
  const issuer = issuerParameter ?? label.prefix ?? '';
  const names = { issuer, account: label.account };
  const warnings = issuerWarnings(label.prefix, issuerParameter);

  const steam = steamGuardSource(written, type, given, issuer);
  if (steam !== undefined) {
    checkSteamGuard(given);
    const params: OtpParams = { ...OTP_DEFAULTS, ...STEAM_GUARD, type: 'totp', encoder: 'steam', ...names };
    if (steam === 'issuer') warnings.push(steamGuardAssumed());
    return warnings.length > 0 ? { key, params, warnings } : { key, params };
  }
  const params: OtpParams = {
    type,
    algorithm: algorithmOf(given('algorithm')),
    digits: whole(given('digits'), 'digits', OTP_DEFAULTS.digits, OTP_LIMITS.digits),
    period: type === 'totp' ? whole(given('period'), 'period', OTP_DEFAULTS.period, OTP_LIMITS.period) : OTP_DEFAULTS.period,
    counter: type === 'hotp' ? counterOf(given('counter')) : 0,
    ...names,
  };
  return warnings.length > 0 ? { key, params, warnings } : { key, params };
}

/**
 * Why the URI means Steam Guard, or `undefined`: the `steam` type, `encoder=steam`, or the issuer Steam
 * on a TOTP URI whose parameters leave Steam's values possible (an explicit 6 digits or SHA256 is taken
 * at its word: then it is not Steam Guard).
 */
function steamGuardSource(
  written: string,
  type: OtpType,
  given: (name: KnownParameter) => string | undefined,
  issuer: string,
): 'type' | 'encoder' | 'issuer' | undefined {
  const encoder = given('encoder');
  if (encoder !== undefined && encoder.toLowerCase() !== 'steam') {
    throw new InvalidSeedError(`the encoder parameter${quotable(encoder)} is not supported: the only encoder the vault implements is steam (Steam Guard)`, {
      field: 'uri',
      parameter: 'encoder',
    });
  }
  if (written === 'steam') return 'type';
  if (encoder !== undefined) {
    if (type !== 'totp') {
      throw new InvalidSeedError('encoder=steam needs a totp URI: Steam Guard codes are time-based', { field: 'uri', parameter: 'encoder' });
    }
    return 'encoder';
  }
  const fits = (name: 'algorithm' | 'digits' | 'period', value: string): boolean => {
    const stated = given(name);
    return stated === undefined || stated.toUpperCase() === value;
  };
  const steamValues = fits('algorithm', STEAM_GUARD.algorithm) && fits('digits', String(STEAM_GUARD.digits)) && fits('period', String(STEAM_GUARD.period));
  return type === 'totp' && issuer.toLowerCase() === 'steam' && steamValues ? 'issuer' : undefined;
}

/** Refuses a Steam Guard URI that states another algorithm, length or period, naming the parameter. */
function checkSteamGuard(given: (name: KnownParameter) => string | undefined): void {
  const expected = { algorithm: STEAM_GUARD.algorithm, digits: String(STEAM_GUARD.digits), period: String(STEAM_GUARD.period) };
  const meaning = { algorithm: `use ${STEAM_GUARD.algorithm}`, digits: `have ${STEAM_GUARD.digits} characters`, period: `change every ${STEAM_GUARD.period} s` };
  for (const name of ['algorithm', 'digits', 'period'] as const) {
    const stated = given(name);
    if (stated !== undefined && stated.toUpperCase() !== expected[name]) {
      throw new InvalidSeedError(`Steam Guard codes ${meaning[name]}, but the ${name} parameter says${quotable(stated) || ' otherwise'}: the URI contradicts itself`, {
        field: 'uri',
        parameter: name,
      });
    }
  }
}

function steamGuardAssumed(): SeedWarning {
  return {
    code: 'steamGuardAssumed',
    message: 'the issuer is Steam and the URI names no encoder, as Steam\'s own enrolment URIs do: Steam Guard codes (5 characters) are made',
  };
}

function issuerWarnings(prefix: string | undefined, parameter: string | undefined): SeedWarning[] {
  if (prefix === undefined || prefix === '' || parameter === undefined || prefix === parameter) return [];
  return [
    {
      code: 'issuerConflict',
      message: 'the issuer in the label differs from the issuer parameter; the issuer parameter was used',
      labelPrefix: prefix,
      parameter,
    },
  ];
}

function algorithmOf(value: string | undefined): OtpAlgorithm {
  if (value === undefined) return OTP_DEFAULTS.algorithm;
  const algorithm = OTP_ALGORITHMS.find((a) => a === value.toUpperCase());
  if (algorithm === undefined) {
    throw new InvalidSeedError('the algorithm parameter must be SHA1, SHA256 or SHA512 (written without a hyphen)', {
      field: 'uri',
      parameter: 'algorithm',
    });
  }
  return algorithm;
}

function whole(value: string | undefined, name: 'digits' | 'period', fallback: number, range: { min: number; max: number }): number {
  if (value === undefined) return fallback;
  const number = /^[0-9]{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= range.min && number <= range.max)) {
    const unit = name === 'period' ? ' seconds' : '';
    const steam = name === 'digits' && number === STEAM_GUARD.digits ? ' (for Steam Guard codes, add encoder=steam)' : '';
    throw new InvalidSeedError(`the ${name} parameter must be a whole number from ${range.min} to ${range.max}${unit}${steam}`, {
      field: 'uri',
      parameter: name,
    });
  }
  return number;
}

function counterOf(value: string | undefined): number {
  if (value === undefined) {
    throw new InvalidSeedError('an hotp URI needs a counter parameter (the counter of the next code)', { field: 'uri', parameter: 'counter' });
  }
  const counter = /^[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(counter)) {
    throw new InvalidSeedError('the counter parameter must be a whole number from 0 to 2^53 - 1', { field: 'uri', parameter: 'counter' });
  }
  return counter;
}

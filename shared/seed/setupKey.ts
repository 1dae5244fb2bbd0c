import { InvalidInputError } from '../errors';
import { OTP_ALGORITHMS, OTP_DEFAULTS, OTP_LIMITS, STEAM_GUARD, type OtpAlgorithm, type OtpParams } from '../otp';
import { secretFromSetupKey } from './base32Text';
import { SEED_LIMITS } from './limits';
import type { Seed, SeedSetupKeyInput } from './types';

/*
 * Policy for setup keys (typed or copied by people, unlike URIs):
 * - the key may contain spaces, line breaks and dashes between groups, lower case and missing padding;
 * - parameters left out take the defaults (TOTP, SHA1, 6 digits, 30 s); an HOTP key without `counter`
 *   starts at 0, which is where a freshly enrolled device starts (a URI must state it: wiki);
 * - algorithm names follow the URI rule (SHA1, SHA256, SHA512, any case, no hyphen) so that one spelling
 *   works everywhere;
 * - a parameter that does not apply to the type (`period` for HOTP, `counter` for TOTP) is refused rather
 *   than ignored: the caller believes something about the key that is not true;
 * - `encoder: 'steam'` takes a Steam Guard shared secret (converted to base32): TOTP, SHA1, 5 characters,
 *   30 s; stating any other type, algorithm, digits or period with it is refused for the same reason.
 */

const fail = (message: string, field: string): InvalidInputError => new InvalidInputError(message, { field });

function wholeIn(value: number | undefined, field: string, fallback: number, range: { min: number; max: number }, unit = ''): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw fail(`${field} must be a whole number from ${range.min} to ${range.max}${unit}`, field);
  }
  return value;
}

function nameIn(value: string | undefined, field: string): string {
  const text = (value ?? '').trim();
  if (text.length > SEED_LIMITS.maxLabelLength) throw fail(`${field} holds at most ${SEED_LIMITS.maxLabelLength} characters`, field);
  return text;
}

function algorithmIn(value: string | undefined): OtpAlgorithm {
  if (value === undefined) return OTP_DEFAULTS.algorithm;
  const algorithm = OTP_ALGORITHMS.find((a) => a === value.trim().toUpperCase());
  if (algorithm === undefined) throw fail('algorithm must be SHA1, SHA256 or SHA512 (written without a hyphen)', 'algorithm');
  return algorithm;
}

/**
 * Builds a seed from a setup key and the parameters the service states next to it.
 *
 * @param input - the setup key input (verifyCode is not checked here)
 * @example
 * seedFromSetupKey({ setupKey: 'jbsw y3dp ehpk 3pxp', issuer: 'Example' }).params.period; // 30
 */
export function seedFromSetupKey(input: SeedSetupKeyInput): Seed {
  if (input.setupKey.length > SEED_LIMITS.maxSetupKeyLength) {
    throw fail(`setupKey holds at most ${SEED_LIMITS.maxSetupKeyLength} characters`, 'setupKey');
  }
  if (input.encoder === 'steam') return steamSeed(input);
  if (input.encoder !== undefined && input.encoder !== 'decimal') throw fail('encoder must be decimal or steam', 'encoder');
  const type = input.type ?? OTP_DEFAULTS.type;
  if (type !== 'totp' && type !== 'hotp') throw fail('type must be totp or hotp', 'type');
  if (type === 'hotp' && input.period !== undefined) throw fail('period applies only to totp keys', 'period');
  if (type === 'totp' && input.counter !== undefined) throw fail('counter applies only to hotp keys', 'counter');
  const params: OtpParams = {
    type,
    algorithm: algorithmIn(input.algorithm),
    digits: wholeIn(input.digits, 'digits', OTP_DEFAULTS.digits, OTP_LIMITS.digits),
    period: wholeIn(input.period, 'period', OTP_DEFAULTS.period, OTP_LIMITS.period, ' seconds'),
    counter: wholeIn(input.counter, 'counter', OTP_DEFAULTS.counter, OTP_LIMITS.counter),
    issuer: nameIn(input.issuer, 'issuer'),
    account: nameIn(input.account, 'account'),
  };
  return { key: secretFromSetupKey(input.setupKey), params };
}

/** A Steam Guard setup key: the parameters are Steam's; a different one stated is a contradiction. */
function steamSeed(input: SeedSetupKeyInput): Seed {
  if (input.type !== undefined && input.type !== 'totp') throw fail('encoder steam needs type totp: Steam Guard codes are time-based', 'type');
  if (input.counter !== undefined) throw fail('counter applies only to hotp keys', 'counter');
  if (input.algorithm !== undefined && algorithmIn(input.algorithm) !== STEAM_GUARD.algorithm) {
    throw fail(`Steam Guard codes use ${STEAM_GUARD.algorithm}: leave algorithm out or set it to ${STEAM_GUARD.algorithm}`, 'algorithm');
  }
  if (input.digits !== undefined && input.digits !== STEAM_GUARD.digits) {
    throw fail(`Steam Guard codes have ${STEAM_GUARD.digits} characters: leave digits out or set it to ${STEAM_GUARD.digits}`, 'digits');
  }
  if (input.period !== undefined && input.period !== STEAM_GUARD.period) {
    throw fail(`Steam Guard codes change every ${STEAM_GUARD.period} s: leave period out or set it to ${STEAM_GUARD.period}`, 'period');
  }
  const params: OtpParams = {
    ...OTP_DEFAULTS,
    ...STEAM_GUARD,
    type: 'totp',
    encoder: 'steam',
    issuer: nameIn(input.issuer, 'issuer'),
    account: nameIn(input.account, 'account'),
  };
  return { key: secretFromSetupKey(input.setupKey), params };
}

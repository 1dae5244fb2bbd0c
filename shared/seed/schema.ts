import * as z from 'zod';
import { OTP_DEFAULTS, OTP_LIMITS } from '../otp';
import { SEED_LIMITS } from './limits';
import type { SeedInput } from './types';

/*
 * Structure only: readSeed checks the content again (the domain does not trust its callers) and gives the
 * specific reasons (bad base32, unknown algorithm...). No length cap on qrImage here: the picture limit
 * lives with the QR decoder and is answered with 413 (TooLargeError) by readSeed.
 */

/** In the order of the union's variants (unionMessage relies on it). */
const SOURCES = ['uri', 'setupKey', 'qrImage'] as const;
const SOURCE_HELP =
  'give exactly one of uri (an otpauth:// or otpauth-migration:// link), setupKey (the text key shown under the QR code) ' +
  'or qrImage (base64 of a PNG, JPEG, HEIC, WebP or AVIF picture of the QR code)';

const verifyCode = z
  .string({ error: 'verifyCode must be a string of digits (leading zeros matter)' })
  .regex(/^[0-9A-Za-z ]{5,11}$/, 'verifyCode must be the code the device shows now: 6 to 8 digits, or 5 characters for Steam Guard')
  .describe('Optional: the code the authenticator shows now; the seed is refused if it does not produce it (one time step of clock drift allowed)');

const entry = z
  .number({ error: 'entry must be a number' })
  .int('entry must be a whole number')
  .min(1, 'entry counts from 1')
  .describe('When the input holds several accounts (a Google Authenticator export, several QR codes): the 1-based number of the one to add, as listed by the error for a missing entry');

/** A variant refuses keys of the others with a sentence instead of "Unrecognized key". */
const onlyFor = (what: string) => ({
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys'
      ? `${(issue.keys ?? []).join(', ')} cannot be combined with ${what}: ${SOURCE_HELP}; type, algorithm, digits, period, counter, encoder, issuer and account go only with setupKey`
      : undefined,
});

const UriInput = z.strictObject(
  {
    uri: z
      .string({ error: 'uri must be a string' })
      .min(1, 'uri is empty')
      .max(SEED_LIMITS.maxMigrationUriLength, `uri holds at most ${SEED_LIMITS.maxMigrationUriLength} characters`)
      .describe('otpauth://totp/Issuer:account?secret=... key URI, or a Google Authenticator export otpauth-migration://offline?data=...'),
    verifyCode: verifyCode.optional(),
    entry: entry.optional(),
  },
  onlyFor('uri'),
);

const SetupKeyInput = z.strictObject(
  {
    setupKey: z
      .string({ error: 'setupKey must be a string' })
      .min(1, 'setupKey is empty')
      .max(SEED_LIMITS.maxSetupKeyLength, `setupKey holds at most ${SEED_LIMITS.maxSetupKeyLength} characters`)
      .describe('The base32 setup key shown under the QR code; spaces, dashes and lower case are fine'),
    type: z.enum(['totp', 'hotp'], { error: 'type must be totp or hotp' }).optional().describe(`totp (time-based) or hotp (counter-based); default ${OTP_DEFAULTS.type}`),
    algorithm: z
      .string({ error: 'algorithm must be a string' })
      .regex(/^\s*(sha1|sha256|sha512)\s*$/i, 'algorithm must be SHA1, SHA256 or SHA512 (written without a hyphen)')
      .optional()
      .describe(`HMAC algorithm the service states: SHA1, SHA256 or SHA512; default ${OTP_DEFAULTS.algorithm}`),
    digits: z
      .number({ error: 'digits must be a number' })
      .int('digits must be a whole number')
      .min(OTP_LIMITS.digits.min, `digits must be from ${OTP_LIMITS.digits.min} to ${OTP_LIMITS.digits.max} (leave it out with encoder steam)`)
      .max(OTP_LIMITS.digits.max, `digits must be from ${OTP_LIMITS.digits.min} to ${OTP_LIMITS.digits.max}`)
      .optional()
      .describe(`Code length, ${OTP_LIMITS.digits.min} to ${OTP_LIMITS.digits.max}; default ${OTP_DEFAULTS.digits} (Steam Guard: 5, implied by encoder steam)`),
    period: z
      .number({ error: 'period must be a number of seconds' })
      .int('period must be a whole number of seconds')
      .min(OTP_LIMITS.period.min, `period must be from ${OTP_LIMITS.period.min} to ${OTP_LIMITS.period.max} seconds`)
      .max(OTP_LIMITS.period.max, `period must be from ${OTP_LIMITS.period.min} to ${OTP_LIMITS.period.max} seconds`)
      .optional()
      .describe(`TOTP only: seconds per code, ${OTP_LIMITS.period.min} to ${OTP_LIMITS.period.max}; default ${OTP_DEFAULTS.period}`),
    counter: z
      .number({ error: 'counter must be a number' })
      .int('counter must be a whole number')
      .min(0, 'counter cannot be negative')
      .max(OTP_LIMITS.counter.max, 'counter must be at most 2^53 - 1')
      .optional()
      .describe('HOTP only: the counter of the next code; default 0'),
    encoder: z
      .enum(['decimal', 'steam'], { error: 'encoder must be decimal or steam' })
      .optional()
      .describe('steam for a Steam Guard shared secret (TOTP, SHA1, 5 characters, 30 s); default decimal digits'),
    issuer: z
      .string({ error: 'issuer must be a string' })
      .max(SEED_LIMITS.maxLabelLength, `issuer holds at most ${SEED_LIMITS.maxLabelLength} characters`)
      .optional()
      .describe('Who issued the key, e.g. "ACME Co"'),
    account: z
      .string({ error: 'account must be a string' })
      .max(SEED_LIMITS.maxLabelLength, `account holds at most ${SEED_LIMITS.maxLabelLength} characters`)
      .optional()
      .describe('The account at the issuer, e.g. "alice@example.com"'),
    verifyCode: verifyCode.optional(),
  },
  onlyFor('setupKey'),
);

const QrImageInput = z.strictObject(
  {
    qrImage: z
      .string({ error: 'qrImage must be a string' })
      .min(1, 'qrImage is empty')
      .describe('Base64 of a PNG, JPEG, HEIC, WebP or AVIF picture of the QR code (a data:image/...;base64, prefix is accepted)'),
    verifyCode: verifyCode.optional(),
    entry: entry.optional(),
  },
  onlyFor('qrImage'),
);

/**
 * Explains a failed union: which sources were given decides the sentence. With exactly one source, the
 * messages of that variant are the useful ones (the other variants failed only for lacking their source).
 */
function unionMessage(issue: { input?: unknown; errors?: readonly (readonly { message: string }[])[] }): string {
  const value = issue.input;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `the seed must be an object: ${SOURCE_HELP}`;
  const given = SOURCES.filter((k) => k in value);
  if (given.length === 0) return SOURCE_HELP;
  if (given.length > 1) return `${given.join(' and ')} were both given: ${SOURCE_HELP}`;
  const variantIssues = issue.errors?.[SOURCES.indexOf(given[0])] ?? [];
  return variantIssues.length > 0 ? variantIssues.map((i) => i.message).join('; ') : `${given[0]} is not valid`;
}

/**
 * The seed input of createSecret and overwriteSeed: exactly one of `uri`, `setupKey`, `qrImage`, plus the
 * optional `verifyCode` (and `entry` to pick one account of several). Each variant is strict, so keys of
 * another variant are refused with a sentence.
 *
 * @example
 * SeedInputSchema.parse({ setupKey: 'JBSW Y3DP EHPK 3PXP', issuer: 'Example' });
 */
export const SeedInputSchema: z.ZodType<SeedInput> = z
  .union([UriInput, SetupKeyInput, QrImageInput], { error: unionMessage })
  .describe('An OTP seed: exactly one of uri, setupKey or qrImage');

import { execFileSync } from 'node:child_process';
import {
  codeKind,
  fromBase32,
  isCodeShaped,
  isInCodeAlphabet,
  matchCode,
  normalizedCode,
  OTP_DEFAULTS,
  otpParamsProblem,
  STEAM_ALPHABET,
  STEAM_GUARD,
  totpAt,
  type OtpParams,
} from '../../../shared/otp';
import { otpauthSecret } from '../../../shared/otp/hotp';
import { steamCode, truncatedValue } from '../../../shared/otp/steam';
import { seededRandom } from '../../helpers/random';
import { referenceSteamCode, referenceSteamText, referenceTruncated } from '../../helpers/steamReference';

/** Seeded, so a failure names the same keys and times on every run. */
const random = seededRandom(0x57ea);
const randomInt = (min: number, max: number): number => min + Math.floor(random() * (max - min));
const randomKey = (bytes: number): Uint8Array => Uint8Array.from({ length: bytes }, () => randomInt(0, 256));

const STEAM: OtpParams = { ...OTP_DEFAULTS, ...STEAM_GUARD, encoder: 'steam' };
const RFC4226_KEY = new TextEncoder().encode('12345678901234567890');

/**
 * KeePassXC tests/TestTotp.cpp, testSteamTotp: "These time/value pairs were created by running the Steam
 * Guard function of the Steam mobile app with a throw-away steam account. The above secret was extracted
 * from the Steam app's data for use in testing here." (Authenticator Pro's SteamOtpTest reuses them.)
 */
const STEAM_APP_KEY = '63BEDWCQZKTQWPESARIERL5DTTQFCJTK';
const STEAM_APP_CODES: [number, string][] = [
  [1_511_200_518, 'FR8RV'],
  [1_511_200_714, '9P3VP'],
];

/** RFC 4226 Appendix D, "Truncated Decimal" column: the 31-bit values for counters 0 to 9. */
const RFC4226_TRUNCATED = [1284755224, 1094287082, 137359152, 1726969429, 1640338314, 868254676, 1918287922, 82162583, 673399871, 645520489];

describe('Steam Guard codes', () => {
  it.each(STEAM_APP_CODES)('gives the code the Steam app showed at %i: %s', (unixSeconds, expected) => {
    // Act
    const code = totpAt(fromBase32(STEAM_APP_KEY), STEAM, unixSeconds * 1000).code;

    // Assess
    expect(code).toBe(expected);
  });

  it.each(STEAM_APP_CODES)('the independent reference gives the Steam app code at %i as well', (unixSeconds, expected) => {
    // Act
    const code = referenceSteamCode(fromBase32(STEAM_APP_KEY), unixSeconds);

    // Assess: the reference is right, so agreeing with it below means something
    expect(code).toBe(expected);
  });

  it('truncates as RFC 4226 Appendix D does, and writes those values in Steam letters', () => {
    // Prepare
    const secret = otpauthSecret(RFC4226_KEY);

    // Act
    const truncated = RFC4226_TRUNCATED.map((_, counter) => truncatedValue(secret, counter));
    const codes = RFC4226_TRUNCATED.map((_, counter) => steamCode(secret, counter));

    // Assess
    expect(truncated).toEqual(RFC4226_TRUNCATED);
    expect(RFC4226_TRUNCATED.map((_, counter) => referenceTruncated(RFC4226_KEY, counter))).toEqual(RFC4226_TRUNCATED);
    expect(codes).toEqual(RFC4226_TRUNCATED.map(referenceSteamText));
  });

  it('writes the least significant base-26 digit first', () => {
    // Prepare: 1 + 2*26 + 3*26^2 + 4*26^3 + 5*26^4
    const value = 1 + 2 * 26 + 3 * 26 ** 2 + 4 * 26 ** 3 + 5 * 26 ** 4;

    // Act
    const text = referenceSteamText(value);

    // Assess
    expect(text).toBe('34567');
  });

  it('agrees with the independent reference on random keys and times', () => {
    // Prepare
    const cases = Array.from({ length: 200 }, () => ({ key: randomKey(randomInt(5, 65)), t: randomInt(0, 2 ** 40) }));

    // Act
    const ours = cases.map(({ key, t }) => totpAt(key, STEAM, t * 1000).code);

    // Assess
    expect(ours).toEqual(cases.map(({ key, t }) => referenceSteamCode(key, t)));
    for (const code of ours) expect(code).toMatch(new RegExp(`^[${STEAM_ALPHABET}]{5}$`));
  });

  it("truncates as oathtool does: the 8 lowest decimal digits of the value are oathtool's 8-digit HOTP code", () => {
    // Prepare
    const key = randomKey(20);
    const counters = [0, 1, 50_373_350, 2 ** 32 + 1, randomInt(0, 2 ** 40)];
    const hex = Buffer.from(key).toString('hex');

    // Act
    const ours = counters.map((c) => String(truncatedValue(otpauthSecret(key), c) % 10 ** 8).padStart(8, '0'));
    const theirs = counters.map((c) => execFileSync('oathtool', ['--hotp', '-d', '8', '-c', String(c), hex], { encoding: 'utf8' }).trim());

    // Assess
    expect(ours).toEqual(theirs);
  });

  it('matches a Steam code one step either side, and nothing of another shape', () => {
    // Prepare
    const key = fromBase32(STEAM_APP_KEY);
    const [[t, code]] = STEAM_APP_CODES as [[number, string]];

    // Act
    const now = matchCode(key, STEAM, code, t * 1000);
    const nextStep = matchCode(key, STEAM, code, (t + 30) * 1000);
    const lower = matchCode(key, STEAM, code.toLowerCase(), t * 1000);
    const decimal = matchCode(key, STEAM, '123456', t * 1000);

    // Assess
    expect(now).toEqual({ counter: Math.floor(t / 30) });
    expect(nextStep).toEqual({ counter: Math.floor(t / 30) });
    expect(lower).toBeUndefined();
    expect(decimal).toBeUndefined();
  });

  it('normalizes typed Steam codes to upper case without spaces, and decimal codes only without spaces', () => {
    // Act, Assess
    expect(normalizedCode(STEAM, ' fr8 rv ')).toBe('FR8RV');
    expect(normalizedCode(OTP_DEFAULTS, '287 082')).toBe('287082');
    expect(isCodeShaped(STEAM, 'FR8RV')).toBe(true);
    expect(isCodeShaped(STEAM, 'FR8RA')).toBe(false);
    expect(isCodeShaped(OTP_DEFAULTS, 'FR8RVX')).toBe(false);
    expect(isInCodeAlphabet(STEAM, 'FR8RVFR8RV')).toBe(true);
    expect(isInCodeAlphabet(STEAM, 'FR0RV')).toBe(false);
    expect(isInCodeAlphabet(OTP_DEFAULTS, '1234567890')).toBe(true);
    expect(codeKind(STEAM)).toBe('5-character Steam Guard codes');
    expect(codeKind({ ...OTP_DEFAULTS, digits: 8 })).toBe('8-digit codes');
  });

  it.each([
    ['hotp', { type: 'hotp' as const }],
    ['SHA256', { algorithm: 'SHA256' as const }],
    ['6 characters', { digits: 6 }],
    ['60 s', { period: 60 }],
  ])('calls Steam parameters with %s unusable', (_name, change) => {
    // Act
    const problem = otpParamsProblem({ ...STEAM, ...change });

    // Assess
    expect(problem).toMatch(/Steam Guard codes are totp, SHA1, 5 characters, 30 s/);
  });

  it('keeps seeds without an encoder decimal, and refuses 5 decimal digits', () => {
    // Act, Assess
    expect(otpParamsProblem(OTP_DEFAULTS)).toBeUndefined();
    expect(otpParamsProblem({ ...OTP_DEFAULTS, digits: 5 })).toMatch(/digits/);
    expect(otpParamsProblem({ ...OTP_DEFAULTS, encoder: 'decimal' })).toBeUndefined();
  });
});

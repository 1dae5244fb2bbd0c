import { InvalidInputError, InvalidSeedError, type VaultError } from '../../../../shared/errors';
import { fromBase32, hotpAt, toBase32, totpAt } from '../../../../shared/otp';
import { parseOtpauthUri, readSeed, type ReadSeedDeps } from '../../../../shared/seed';
import { referenceSteamCode } from '../../../helpers/steamReference';
import { caught, expectSafeCallerError, rejection } from '../helpers';

/*
 * The Key Uri Format's parameters as the vault reads them (README "Key URI parameters"): Steam Guard,
 * parameters that change codes and are not implemented, duplicates, URIs without a label, HOTP counters.
 */

const SECRET = 'JBSWY3DPEHPK3PXP';
/** KeePassXC's Steam test key, whose codes were read off the Steam app (see test/shared/otp/steam.test.ts). */
const STEAM_KEY = '63BEDWCQZKTQWPESARIERL5DTTQFCJTK';
const STEAM_APP_TIME_MS = 1_511_200_518_000;
const STEAM_APP_CODE = 'FR8RV';
/** RFC 4226 Appendix D: the key "12345678901234567890" and its HOTP values for counters 0 to 9. */
const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC4226_CODES = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
const noQr: ReadSeedDeps = {
  loadQrReader: async () => {
    throw new Error('the QR decoder must not be loaded for this input');
  },
};

/** The refused URI's error, checked to be a safe caller error that names `parameter`. */
function refusal(uri: string, parameter: string | undefined, secrets: string[] = [SECRET, STEAM_KEY]): VaultError {
  const error = caught(() => parseOtpauthUri(uri)) as VaultError;
  expectSafeCallerError(error, [uri, ...secrets], InvalidSeedError);
  if (parameter !== undefined) {
    expect(error.details).toMatchObject({ field: 'uri', parameter });
    expect(error.message).toContain(parameter);
  }
  return error;
}

describe('Steam Guard URIs', () => {
  it.each([
    ['encoder=steam (KeePassXC)', `otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&issuer=Steam&encoder=steam`],
    ["KeePassXC's full form, with digits=5", `otpauth://totp/test:test@example.com?secret=${STEAM_KEY}&issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam`],
    ['ENCODER=Steam in another case', `otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&ENCODER=Steam`],
    ["otpauth://steam/ (Aegis' type)", `otpauth://steam/Steam:gaben?secret=${STEAM_KEY}&issuer=Steam&digits=5&algorithm=SHA1&period=30`],
  ])('reads %s as a Steam Guard seed that makes the Steam app\'s codes', (_name, uri) => {
    // Act
    const seed = parseOtpauthUri(uri);

    // Assess
    expect(seed.params).toMatchObject({ type: 'totp', encoder: 'steam', algorithm: 'SHA1', digits: 5, period: 30, counter: 0 });
    expect(totpAt(seed.key, seed.params, STEAM_APP_TIME_MS).code).toBe(STEAM_APP_CODE);
    expect((seed.warnings ?? []).map((w) => w.code)).not.toContain('steamGuardAssumed');
  });

  it("reads Steam's own enrolment URI (issuer Steam, no encoder) as Steam Guard, with a warning", () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&issuer=Steam`);

    // Assess
    expect(seed.params).toMatchObject({ encoder: 'steam', digits: 5, issuer: 'Steam', account: 'gaben' });
    expect(seed.warnings).toEqual([expect.objectContaining({ code: 'steamGuardAssumed' })]);
    expect(totpAt(seed.key, seed.params, STEAM_APP_TIME_MS).code).toBe(STEAM_APP_CODE);
  });

  it('takes a Steam issuer that states 6 digits or SHA256 at its word: decimal codes', () => {
    // Act
    const six = parseOtpauthUri(`otpauth://totp/Steam:gaben?secret=${SECRET}&issuer=Steam&digits=6`);
    const sha256 = parseOtpauthUri(`otpauth://totp/Steam:gaben?secret=${SECRET}&algorithm=SHA256`);
    const hotp = parseOtpauthUri(`otpauth://hotp/Steam:gaben?secret=${SECRET}&counter=0`);

    // Assess
    for (const seed of [six, sha256, hotp]) {
      expect(seed.params.encoder).toBeUndefined();
      expect(seed.params.digits).toBe(6);
    }
  });

  it('leaves every other seed without an encoder (decimal digits)', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/Example:alice?secret=${SECRET}&issuer=Example`);

    // Assess
    expect(seed.params.encoder).toBeUndefined();
    expect(totpAt(seed.key, seed.params, STEAM_APP_TIME_MS).code).toMatch(/^[0-9]{6}$/);
  });

  it.each([
    ['algorithm=SHA256', 'algorithm', /Steam Guard codes use SHA1, but the algorithm parameter says "SHA256"/],
    ['digits=6', 'digits', /Steam Guard codes have 5 characters, but the digits parameter says "6"/],
    ['period=60', 'period', /Steam Guard codes change every 30 s, but the period parameter says "60"/],
  ])('refuses encoder=steam with %s, naming the parameter', (extra, parameter, message) => {
    // Act
    const error = refusal(`otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&encoder=steam&${extra}`, parameter);

    // Assess
    expect(error.message).toMatch(message);
  });

  it('refuses the steam type with digits=6 as well', () => {
    // Act, Assess
    refusal(`otpauth://steam/Steam:gaben?secret=${STEAM_KEY}&digits=6`, 'digits');
  });

  it('refuses encoder=steam on an hotp URI, naming encoder', () => {
    // Act
    const error = refusal(`otpauth://hotp/Steam:gaben?secret=${STEAM_KEY}&counter=0&encoder=steam`, 'encoder');

    // Assess
    expect(error.message).toMatch(/time-based/);
  });

  it('points to encoder=steam when a URI asks for 5 digits without it', () => {
    // Act
    const error = refusal(`otpauth://totp/Game:gaben?secret=${SECRET}&digits=5`, 'digits');

    // Assess
    expect(error.message).toMatch(/from 6 to 8 \(for Steam Guard codes, add encoder=steam\)/);
  });
});

describe('parameters that would change the codes', () => {
  it.each([
    ['encoder=yandex', 'encoder', /the encoder parameter "yandex" is not supported: the only encoder the vault implements is steam/],
    ['encoder=base26', 'encoder', /encoder parameter "base26" is not supported/],
    ['encoder=%3Cscript%3E', 'encoder', /^the encoder parameter is not supported/],
    ['pin=1234', 'pin', /pin parameter is not supported: codes for such keys \(mOTP, Yandex.Key\) also depend on a PIN/],
  ])('refuses %s by name', (extra, parameter, message) => {
    // Act
    const error = refusal(`otpauth://totp/Example:alice?secret=${SECRET}&${extra}`, parameter, [SECRET]);

    // Assess
    expect(error.message).toMatch(message);
  });

  it('never quotes the pin', () => {
    // Act
    const error = refusal(`otpauth://totp/Example:alice?secret=${SECRET}&pin=8642`, 'pin', [SECRET, '8642']);

    // Assess
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('8642');
  });

  it('treats an empty pin= (and encoder=) as absent, like every other empty optional parameter', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/Example:alice?secret=${SECRET}&pin=&encoder=`);

    // Assess
    expect(seed.params).toMatchObject({ digits: 6, period: 30 });
    expect(seed.params.encoder).toBeUndefined();
  });

  it.each(['motp', 'yaotp', 'yandex'])('refuses otpauth://%s/ and names the type', (type) => {
    // Act
    const error = refusal(`otpauth://${type}/Example:alice?secret=${SECRET}`, undefined);

    // Assess
    expect(error.message).toMatch(new RegExp(`^otpauth://${type}/ keys are not supported: the type in otpauth://TYPE/ must be totp, hotp or steam`));
  });

  it('ignores display-only parameters (image, color, icon, lock, tags)', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/Example:alice?secret=${SECRET}&image=https%3A%2F%2Fx.example%2Fa.png&color=ff0000&icon=x&lock=true&tags=a`);

    // Assess
    expect(seed.params).toMatchObject({ type: 'totp', algorithm: 'SHA1', digits: 6, period: 30 });
    expect(seed.params.encoder).toBeUndefined();
  });
});

describe('a parameter given twice', () => {
  it.each([
    ['algorithm', 'algorithm=SHA1&algorithm=SHA256'],
    ['digits', 'digits=6&digits=8'],
    ['digits', 'digits=6&digits=06'],
    ['period', 'period=30&period=60'],
    ['issuer', 'issuer=ACME&issuer=Contoso'],
    ['issuer', 'issuer=&issuer=ACME'],
    ['encoder', 'encoder=steam&encoder=STEAM'],
    ['secret', 'secret=GEZDGNBVGY3TQOJQ'],
  ])('is refused with different values, naming %s (%s)', (parameter, extra) => {
    // Act
    const error = refusal(`otpauth://totp/a?secret=${SECRET}&${extra}`, parameter, [SECRET, 'GEZDGNBVGY3TQOJQ']);

    // Assess
    expect(error.message).toBe(
      `the ${parameter} parameter appears more than once with different values: which one the device uses is unknown, so the URI is refused`,
    );
  });

  it('is refused in an hotp URI too (counter)', () => {
    // Act, Assess
    refusal(`otpauth://hotp/a?secret=${SECRET}&counter=1&counter=2`, 'counter');
  });

  it('is accepted with the same value, after decoding (issuer=ACME+Co and issuer=ACME%20Co are one value)', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/a?secret=${SECRET}&algorithm=SHA256&issuer=ACME+Co&algorithm=SHA256&issuer=ACME%20Co&secret=${SECRET}`);

    // Assess
    expect(seed.params).toMatchObject({ algorithm: 'SHA256', issuer: 'ACME Co' });
    expect(toBase32(seed.key)).toBe(SECRET);
  });

  it('compares values as text: the same secret in another case is refused', () => {
    // Act, Assess
    refusal(`otpauth://totp/a?secret=${SECRET}&secret=${SECRET.toLowerCase()}`, 'secret');
  });
});

describe('URIs without a label', () => {
  it('accepts otpauth://totp?secret=...&issuer=Acme, with the issuer from the parameter and no account name', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp?secret=${SECRET}&issuer=Acme`);

    // Assess
    expect(seed.params).toMatchObject({ type: 'totp', issuer: 'Acme', account: '', digits: 6, period: 30 });
    expect(toBase32(seed.key)).toBe(SECRET);
  });

  it('accepts otpauth://hotp?secret=...&counter=1, with no names at all', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://hotp?secret=${RFC_KEY_BASE32}&counter=1`);

    // Assess
    expect(seed.params).toMatchObject({ type: 'hotp', counter: 1, issuer: '', account: '' });
    expect(hotpAt(seed.key, seed.params, seed.params.counter)).toBe(RFC4226_CODES[1]);
  });

  it('accepts an empty label (otpauth://totp/?secret=...) the same way', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/?secret=${SECRET}&issuer=Acme`);

    // Assess
    expect(seed.params).toMatchObject({ issuer: 'Acme', account: '' });
  });

  it('accepts a Steam Guard URI without a label', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp?secret=${STEAM_KEY}&encoder=steam`);

    // Assess
    expect(seed.params).toMatchObject({ encoder: 'steam', issuer: '', account: '' });
    expect(totpAt(seed.key, seed.params, STEAM_APP_TIME_MS).code).toBe(STEAM_APP_CODE);
  });

  it.each([
    ['no secret', 'otpauth://totp?issuer=Acme', /no secret parameter/],
    ['no query at all', 'otpauth://totp', /no secret parameter/],
    ['bad base32', 'otpauth://totp?secret=JBSWY3DPEHPK3PX1', /not base32/],
    ['an empty secret', 'otpauth://totp?secret=&issuer=Acme', /secret parameter is empty/],
    ['an unknown type', `otpauth://push?secret=${SECRET}`, /must be totp, hotp or steam/],
    ['an unknown algorithm', `otpauth://totp?secret=${SECRET}&algorithm=MD5`, /algorithm parameter must be SHA1, SHA256 or SHA512/],
    ['digits 5', `otpauth://totp?secret=${SECRET}&digits=5`, /digits parameter must be a whole number from 6 to 8/],
    ['digits 9', `otpauth://totp?secret=${SECRET}&digits=9`, /digits parameter must be a whole number from 6 to 8/],
    ['an hotp URI without a counter', `otpauth://hotp?secret=${SECRET}`, /needs a counter parameter/],
  ])('still refuses one with %s', (_name, uri, message) => {
    // Act
    const error = caught(() => parseOtpauthUri(uri));

    // Assess
    expectSafeCallerError(error, [SECRET, 'JBSWY3DPEHPK3PX1'], InvalidSeedError);
    expect(error.message).toMatch(message);
  });
});

describe('HOTP counter=N', () => {
  it.each([0, 1, 5, 9])('starts at counter %i: the first code is the RFC 4226 code for it', (counter) => {
    // Act
    const seed = parseOtpauthUri(`otpauth://hotp/Bank:ops?secret=${RFC_KEY_BASE32}&issuer=Bank&counter=${counter}`);

    // Assess
    expect(seed.params.counter).toBe(counter);
    expect(hotpAt(seed.key, seed.params, seed.params.counter)).toBe(RFC4226_CODES[counter]);
  });
});

describe('verifyCode with a Steam Guard seed', () => {
  const uri = `otpauth://totp/Steam:gaben?secret=${STEAM_KEY}&encoder=steam`;

  it.each([STEAM_APP_CODE, 'fr8rv', 'FR8 RV'])('accepts the code the Steam app showed, typed as %s', async (verifyCode) => {
    // Act
    const seed = await readSeed({ uri, verifyCode }, STEAM_APP_TIME_MS, noQr);

    // Assess
    expect(seed.params.encoder).toBe('steam');
  });

  it('accepts the code of the step before (clock drift), computed by the independent reference', async () => {
    // Prepare
    const verifyCode = referenceSteamCode(fromBase32(STEAM_KEY), STEAM_APP_TIME_MS / 1000 - 30);

    // Act
    const seed = await readSeed({ uri, verifyCode }, STEAM_APP_TIME_MS, noQr);

    // Assess
    expect(seed.params.encoder).toBe('steam');
  });

  it('refuses a code from another time, with a Steam hint', async () => {
    // Prepare
    const verifyCode = referenceSteamCode(fromBase32(STEAM_KEY), STEAM_APP_TIME_MS / 1000 + 300);

    // Act
    const error = await rejection(readSeed({ uri, verifyCode }, STEAM_APP_TIME_MS, noQr));

    // Assess
    expectSafeCallerError(error, [STEAM_KEY, verifyCode], InvalidSeedError);
    expect(error.message).toMatch(/does not match this seed: check that the key is the Steam Guard shared secret/);
  });

  it('refuses a decimal code, naming the Steam alphabet', async () => {
    // Act
    const error = await rejection(readSeed({ uri, verifyCode: '123456' }, STEAM_APP_TIME_MS, noQr));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/Steam Guard codes use only the characters 23456789BCDFGHJKMNPQRTVWXY/);
  });

  it('refuses a Steam-alphabet code of the wrong length, in characters', async () => {
    // Act
    const error = await rejection(readSeed({ uri, verifyCode: 'FR8RVX' }, STEAM_APP_TIME_MS, noQr));

    // Assess
    expect(error.message).toMatch(/has 6 characters but this seed makes 5-character Steam Guard codes/);
  });

  it('refuses a Steam code for a decimal seed', async () => {
    // Act
    const error = await rejection(readSeed({ uri: `otpauth://totp/a?secret=${SECRET}`, verifyCode: STEAM_APP_CODE }, STEAM_APP_TIME_MS, noQr));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/digits only/);
  });
});

describe('a Steam Guard setup key', () => {
  it('makes Steam codes with encoder steam', async () => {
    // Act
    const seed = await readSeed({ setupKey: STEAM_KEY.toLowerCase(), encoder: 'steam', issuer: 'Steam', verifyCode: STEAM_APP_CODE }, STEAM_APP_TIME_MS, noQr);

    // Assess
    expect(seed.params).toMatchObject({ type: 'totp', encoder: 'steam', digits: 5, period: 30, algorithm: 'SHA1', issuer: 'Steam' });
  });

  it('accepts Steam values stated again, and an explicit decimal encoder', async () => {
    // Act
    const steam = await readSeed({ setupKey: STEAM_KEY, encoder: 'steam', type: 'totp', algorithm: 'sha1', digits: 5, period: 30 }, STEAM_APP_TIME_MS, noQr);
    const decimal = await readSeed({ setupKey: STEAM_KEY, encoder: 'decimal' }, STEAM_APP_TIME_MS, noQr);

    // Assess
    expect(steam.params.encoder).toBe('steam');
    expect(decimal.params.encoder).toBeUndefined();
    expect(decimal.params.digits).toBe(6);
  });

  it.each([
    ['type hotp', { type: 'hotp' as const }, 'type'],
    ['algorithm SHA256', { algorithm: 'SHA256' }, 'algorithm'],
    ['digits 6', { digits: 6 }, 'digits'],
    ['period 60', { period: 60 }, 'period'],
    ['a counter', { counter: 3 }, 'counter'],
  ])('refuses encoder steam with %s, naming the field', async (_name, extra, field) => {
    // Act
    const error = await rejection(readSeed({ setupKey: STEAM_KEY, encoder: 'steam', ...extra }, STEAM_APP_TIME_MS, noQr));

    // Assess
    expectSafeCallerError(error, [STEAM_KEY], InvalidInputError);
    expect((error as VaultError).details).toMatchObject({ field });
  });
});

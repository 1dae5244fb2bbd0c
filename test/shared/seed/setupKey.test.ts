import { InvalidInputError, InvalidSeedError } from '../../../shared/errors';
import { toBase32 } from '../../../shared/otp';
import { seedFromSetupKey } from '../../../shared/seed/setupKey';
import { caught, expectSafeCallerError } from './helpers';

const WIKI_KEY = 'JBSWY3DPEHPK3PXP';

describe('seedFromSetupKey', () => {
  it.each([
    ['grouped with spaces, lower case', 'jbsw y3dp ehpk 3pxp'],
    ['grouped with dashes', 'JBSW-Y3DP-EHPK-3PXP'],
    ['split over lines with tabs', 'JBSWY3DP\n\tEHPK3PXP'],
    ['padded', 'JBSWY3DPEHPK3PXP===='],
    ['with non-breaking spaces', 'JBSW\u00a0Y3DP\u00a0EHPK\u00a03PXP'],
  ])('reads a key %s', (_name, setupKey) => {
    // Act
    const seed = seedFromSetupKey({ setupKey });

    // Assess
    expect(toBase32(seed.key)).toBe(WIKI_KEY);
  });

  it('accepts a key whose padding is missing', () => {
    // Act
    const seed = seedFromSetupKey({ setupKey: 'JBSWY3DPEE' });

    // Assess
    expect(Buffer.from(seed.key).toString('latin1')).toBe('Hello!');
  });

  it('fills in the defaults: TOTP, SHA1, 6 digits, 30 s, no names', () => {
    // Act
    const seed = seedFromSetupKey({ setupKey: WIKI_KEY });

    // Assess
    expect(seed.params).toEqual({ type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: '', account: '' });
  });

  it('applies the parameters the service states, trimming the names', () => {
    // Act
    const seed = seedFromSetupKey({ setupKey: WIKI_KEY, algorithm: 'sha256', digits: 8, period: 60, issuer: ' ACME ', account: 'alice ' });

    // Assess
    expect(seed.params).toEqual({ type: 'totp', algorithm: 'SHA256', digits: 8, period: 60, counter: 0, issuer: 'ACME', account: 'alice' });
  });

  it('starts an HOTP key at counter 0 unless told otherwise', () => {
    // Act
    const fresh = seedFromSetupKey({ setupKey: WIKI_KEY, type: 'hotp' });
    const used = seedFromSetupKey({ setupKey: WIKI_KEY, type: 'hotp', counter: 12 });

    // Assess
    expect(fresh.params.counter).toBe(0);
    expect(used.params.counter).toBe(12);
  });

  it.each([
    ['the digit 1, hinting at I/1 mix-ups', 'JBSWY3DPEHPK3PX1', InvalidSeedError, /O\/0 and I\/1/],
    ['punctuation', 'JBSWY3DP.EHPK3PXP', InvalidSeedError, /not base32/],
    ['only separators', ' - - ', InvalidSeedError, /empty/],
    ['a cut-short length', 'JBSWY3DPEHPK3P', InvalidSeedError, /length/],
    ['too few bytes', 'JBSWY3D', InvalidSeedError, /too short/],
    ['an otpauth URI', 'otpauth://totp/a?secret=JBSWY3DPEHPK3PXP', InvalidSeedError, /send it as uri/],
    ['more than 512 characters', 'A'.repeat(513), InvalidInputError, /512/],
  ])('refuses a key with %s, without quoting it', (_name, setupKey, ErrorClass, message) => {
    // Act
    const error = caught(() => seedFromSetupKey({ setupKey }));

    // Assess
    expectSafeCallerError(error, [setupKey.trim(), 'JBSWY3DPEHPK3PX'], ErrorClass);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['SHA-256', { algorithm: 'SHA-256' }, /SHA1, SHA256 or SHA512/],
    ['digits 5', { digits: 5 }, /digits .* 6 to 8/],
    ['digits 6.5', { digits: 6.5 }, /digits/],
    ['period 0', { period: 0 }, /period .* 1 to 300 seconds/],
    ['period 30000 (milliseconds?)', { period: 30_000 }, /period/],
    ['period with hotp', { type: 'hotp' as const, period: 30 }, /period applies only to totp/],
    ['counter with totp', { counter: 1 }, /counter applies only to hotp/],
    ['a negative counter', { type: 'hotp' as const, counter: -1 }, /counter/],
    ['an issuer above 512 characters', { issuer: 'x'.repeat(513) }, /issuer holds at most 512/],
  ])('refuses %s', (_name, change, message) => {
    // Act
    const error = caught(() => seedFromSetupKey({ setupKey: WIKI_KEY, ...change }));

    // Assess
    expectSafeCallerError(error, [WIKI_KEY], InvalidInputError);
    expect(error.message).toMatch(message);
  });
});

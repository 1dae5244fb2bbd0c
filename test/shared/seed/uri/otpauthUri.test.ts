import { InvalidSeedError } from '../../../../shared/errors';
import { toBase32 } from '../../../../shared/otp';
import { parseOtpauthUri } from '../../../../shared/seed';
import { hex, loadCorpus } from '../../otp/corpus';
import { caught, expectSafeCallerError } from '../helpers';

interface ValidCase {
  id: string;
  uri: string;
  expected: {
    type: 'totp' | 'hotp';
    algorithm: string;
    digits: number;
    period?: number;
    counter?: number;
    issuer: string;
    account: string;
    secretBase32: string;
    secretHex: string;
    issuerConflict?: { labelPrefix: string; parameter: string };
  };
  otpauthAgrees: boolean;
}
interface InvalidCase {
  id: string;
  uri: string;
  reason: string;
  otpauthAgrees: boolean;
}
const corpus = loadCorpus<{ valid: ValidCase[]; invalid: InvalidCase[]; policyQuestionsForTheVault: string[] }>('otpauth-uris.json');

/** What errors must never quote: the `secret=` values, and the whole URI when it holds one. */
const secretOf = (uri: string): string[] => {
  const secrets = [...uri.matchAll(/secret=([^&]*)/gi)].flatMap((m) => {
    const raw = m[1] ?? '';
    try {
      return [raw, decodeURIComponent(raw)];
    } catch {
      return [raw];
    }
  });
  return secrets.length > 0 ? [uri, ...secrets] : [];
};

describe('parseOtpauthUri on the corpus', () => {
  it.each(corpus.valid)('reads $id as expected', ({ uri, expected }) => {
    // Act
    const seed = parseOtpauthUri(uri);

    // Assess
    const { params } = seed;
    expect(params.type).toBe(expected.type);
    expect(params.algorithm).toBe(expected.algorithm);
    expect(params.digits).toBe(expected.digits);
    expect(params.issuer).toBe(expected.issuer);
    expect(params.account).toBe(expected.account);
    expect(toBase32(seed.key)).toBe(expected.secretBase32);
    expect(hex(seed.key)).toBe(expected.secretHex);
    if (expected.type === 'totp') {
      expect(params.period).toBe(expected.period);
      expect(params.counter).toBe(0);
    } else {
      expect(params.counter).toBe(expected.counter);
    }
  });

  it.each(corpus.invalid)('refuses $id: $reason', ({ uri }) => {
    // Act
    const error = caught(() => parseOtpauthUri(uri));

    // Assess
    expectSafeCallerError(error, secretOf(uri), InvalidSeedError);
  });

  it.each([...corpus.valid, ...corpus.invalid].filter((c) => !c.otpauthAgrees).map((c) => ({ id: c.id, valid: 'expected' in c })))(
    'follows the corpus, not otpauth@9.5.2, for $id',
    ({ id, valid }) => {
      // Prepare
      const uri = [...corpus.valid, ...corpus.invalid].find((c) => c.id === id)?.uri ?? '';

      // Act
      const accepted = ((): boolean => {
        try {
          parseOtpauthUri(uri);
          return true;
        } catch {
          return false;
        }
      })();

      // Assess
      expect(accepted).toBe(valid);
    },
  );
});

describe('parseOtpauthUri policy decisions', () => {
  const secret = 'JBSWY3DPEHPK3PXP';

  it('keeps the issuer parameter when the label prefix differs, and warns with both names', () => {
    // Prepare
    const conflict = corpus.valid.find((c) => c.expected.issuerConflict !== undefined);

    // Act
    const seed = parseOtpauthUri(conflict?.uri ?? '');

    // Assess
    expect(seed.params.issuer).toBe(conflict?.expected.issuerConflict?.parameter);
    expect(seed.warnings).toEqual([expect.objectContaining({ code: 'issuerConflict', ...conflict?.expected.issuerConflict })]);
  });

  it('gives no warnings when the label prefix and the issuer parameter agree', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/Example:alice?secret=${secret}&issuer=Example`);

    // Assess
    expect(seed.warnings).toBeUndefined();
  });

  it('accepts 7 digits', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/a?secret=${secret}&digits=7`);

    // Assess
    expect(seed.params.digits).toBe(7);
  });

  it.each(['SHA-256', 'sha-1', 'SHA224', 'MD5'])('refuses algorithm %s and names the accepted spellings', (algorithm) => {
    // Act
    const error = caught(() => parseOtpauthUri(`otpauth://totp/a?secret=${secret}&algorithm=${algorithm}`));

    // Assess
    expect(error).toBeInstanceOf(InvalidSeedError);
    expect(error.message).toContain('SHA1, SHA256 or SHA512');
  });

  it('reads "+" in a query value as a space but keeps it in the label', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/A+B:c+d?secret=${secret}&issuer=ACME+Co`);

    // Assess
    expect(seed.params.issuer).toBe('ACME Co');
    expect(seed.params.account).toBe('c+d');
  });

  it('skips a query piece without "=" and ignores unknown parameters', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/a?image=https%3A%2F%2Fx&flag&secret=${secret}&color=%ZZ`);

    // Assess
    expect(toBase32(seed.key)).toBe(secret);
  });

  it.each(['secret', 'digits', 'SECRET'])('refuses a URI that gives %s twice', (name) => {
    // Prepare
    const uri = `otpauth://totp/a?secret=${secret}&digits=6&${name}=${name.toLowerCase() === 'secret' ? 'GEZDGNBVGY3TQOJQ' : '8'}`;

    // Act
    const error = caught(() => parseOtpauthUri(uri));

    // Assess
    expectSafeCallerError(error, [secret, 'GEZDGNBVGY3TQOJQ'], InvalidSeedError);
    expect(error.message).toMatch(/appears more than once/);
  });

  it('caps the URI at 2048 characters and the label at 512', () => {
    // Prepare
    const longLabel = `otpauth://totp/${'a'.repeat(513)}?secret=${secret}`;
    const longUri = `otpauth://totp/a?secret=${secret}&x=${'a'.repeat(2048)}`;

    // Act
    const labelError = caught(() => parseOtpauthUri(longLabel));
    const uriError = caught(() => parseOtpauthUri(longUri));

    // Assess
    expect(labelError.message).toMatch(/label .* longer than 512/);
    expect(uriError.message).toMatch(/longer than 2048/);
  });

  it('accepts a label of exactly 512 characters', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/${'a'.repeat(512)}?secret=${secret}`);

    // Assess
    expect(seed.params.account).toHaveLength(512);
  });

  it('treats empty optional parameters as absent', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/Label:acc?secret=${secret}&issuer=&algorithm=&digits=&period=`);

    // Assess
    expect(seed.params).toMatchObject({ issuer: 'Label', algorithm: 'SHA1', digits: 6, period: 30 });
  });

  it('keeps an unescaped "#" as part of a value instead of cutting the URI there', () => {
    // Act
    const seed = parseOtpauthUri(`otpauth://totp/Team #1:bob?secret=${secret}&digits=8`);

    // Assess
    expect(seed.params).toMatchObject({ issuer: 'Team #1', account: 'bob', digits: 8 });
  });

  it('ignores period for hotp and counter for totp', () => {
    // Act
    const hotp = parseOtpauthUri(`otpauth://hotp/a?secret=${secret}&counter=3&period=60`);
    const totp = parseOtpauthUri(`otpauth://totp/a?secret=${secret}&counter=3&period=60`);

    // Assess
    expect(hotp.params).toMatchObject({ type: 'hotp', counter: 3, period: 30 });
    expect(totp.params).toMatchObject({ type: 'totp', counter: 0, period: 60 });
  });

  it('trims white space around a pasted URI', () => {
    // Act
    const seed = parseOtpauthUri(`  otpauth://totp/a?secret=${secret}\n`);

    // Assess
    expect(seed.params.account).toBe('a');
  });

  it.each([
    ['a line break inside', `otpauth://totp/a?secret=${secret}\n&digits=8`, /control characters/],
    ['period 301', `otpauth://totp/a?secret=${secret}&period=301`, /period .* 1 to 300 seconds/],
    ['a fractional period', `otpauth://totp/a?secret=${secret}&period=30.5`, /period/],
    ['a negative counter', `otpauth://hotp/a?secret=${secret}&counter=-1`, /counter/],
    ['a counter above 2^53', `otpauth://hotp/a?secret=${secret}&counter=9007199254740993`, /counter/],
    ['a 4-byte key', 'otpauth://totp/a?secret=JBSWY3D', /too short/],
    ['a 129-byte key', `otpauth://totp/a?secret=${'A'.repeat(208)}`, /too long/],
    ['a base32 length no encoder produces', 'otpauth://totp/a?secret=JBSWY3DPEHPK3P', /length/],
    ['the digit 0 in the secret', 'otpauth://totp/a?secret=JBSWY3DPEHPK3PX0', /O\/0/],
    ['otpauth: without //', `otpauth:totp/a?secret=${secret}`, /not an otpauth:\/\/ URI/],
  ])('refuses a URI with %s', (_name, uri, message) => {
    // Act
    const error = caught(() => parseOtpauthUri(uri));

    // Assess
    expectSafeCallerError(error, secretOf(uri), InvalidSeedError);
    expect(error.message).toMatch(message);
  });

  it('answers each policy question of the corpus (the list has not grown)', () => {
    // Assess: one decision per question is documented in shared/seed/otpauthUri.ts
    expect(corpus.policyQuestionsForTheVault).toHaveLength(6);
  });
});

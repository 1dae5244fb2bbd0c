import { jest } from '@jest/globals';
import { InvalidInputError, InvalidSeedError, TooLargeError } from '../../../shared/errors';
import { hotpAt, toBase32, totpAt } from '../../../shared/otp';
import { readSeed, type QrReader, type ReadSeedDeps, type SeedInput } from '../../../shared/seed';
import { loadCorpus } from '../otp/corpus';
import { expectSafeCallerError, rejection } from './helpers';

const corpus = loadCorpus<{ cases: { id: string; uri: string }[] }>('migration-uris.json');
const migration = (id: string): string => corpus.cases.find((c) => c.id === id)?.uri ?? '';
const ONE_ACCOUNT = migration('dim13-single-defaults');
const TWO_ACCOUNTS = migration('jcallahan-two-entries-encode');
const PART_1_OF_3 = migration('jcallahan-batch-1-of-3');
const WIKI_URI = 'otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example';
const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_KEY = new TextEncoder().encode('12345678901234567890');
const NOW = 1_700_000_000_000;
const PNG_BASE64 = Buffer.from('\x89PNG\r\n\x1a\nfake picture', 'latin1').toString('base64');

/** A QR reader that "finds" the given texts, and records what it was asked. */
function fakeQr(texts: string[], maxImageBytes = 1_000_000): { deps: ReadSeedDeps; decode: jest.Mock<QrReader['decodeQrTexts']> } {
  const decode = jest.fn<QrReader['decodeQrTexts']>(async () => texts);
  return { deps: { loadQrReader: async () => ({ decodeQrTexts: decode, QR_LIMITS: { maxImageBytes } }) }, decode };
}
const noQr: ReadSeedDeps = {
  loadQrReader: async () => {
    throw new Error('the QR decoder must not be loaded for this input');
  },
};

describe('readSeed from a URI', () => {
  it('reads an otpauth:// URI without loading the QR decoder', async () => {
    // Act
    const seed = await readSeed({ uri: WIKI_URI }, NOW, noQr);

    // Assess
    expect(toBase32(seed.key)).toBe('JBSWY3DPEHPK3PXP');
    expect(seed.params).toMatchObject({ issuer: 'Example', account: 'alice@google.com' });
  });

  it('takes the only account of a Google Authenticator export', async () => {
    // Act
    const seed = await readSeed({ uri: ONE_ACCOUNT }, NOW, noQr);

    // Assess
    expect(seed.params).toMatchObject({ type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, issuer: 'Example', account: 'alice@google.com' });
  });

  it('refuses an export of several accounts without entry, listing them by name and number but never a key', async () => {
    // Act
    const error = await rejection(readSeed({ uri: TWO_ACCOUNTS }, NOW, noQr));

    // Assess
    expectSafeCallerError(error, ['HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ', 'JBSWY3DPEHPK3PXP', TWO_ACCOUNTS], InvalidSeedError);
    expect(error.message).toContain('1. ACME Co (john.doe@example.com); 2. Example (alice@google.com)');
    expect(error.message).toMatch(/entry/);
    expect((error as InvalidSeedError).details).toMatchObject({
      field: 'entry',
      accounts: [
        { entry: 1, issuer: 'ACME Co', account: 'john.doe@example.com' },
        { entry: 2, issuer: 'Example', account: 'alice@google.com' },
      ],
    });
  });

  it('takes the account that entry names', async () => {
    // Act
    const seed = await readSeed({ uri: TWO_ACCOUNTS, entry: 2 }, NOW, noQr);

    // Assess
    expect(seed.params.account).toBe('alice@google.com');
    expect(toBase32(seed.key)).toBe('JBSWY3DPEHPK3PXP');
  });

  it.each([0, 3, 1.5])('refuses entry %p for an export of two accounts', async (entry) => {
    // Act
    const error = await rejection(readSeed({ uri: TWO_ACCOUNTS, entry }, NOW, noQr));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/entry must be a number from 1 to 2/);
  });

  it('says which part of a split export it is when asking for an entry', async () => {
    // Act
    const error = await rejection(readSeed({ uri: PART_1_OF_3 }, NOW, noQr));

    // Assess
    expect(error.message).toMatch(/holds 10 accounts/);
    expect(error.message).toMatch(/part 1 of 3 of the export/);
  });

  it('reports an export without accounts as nothing to import', async () => {
    // Act
    const error = await rejection(readSeed({ uri: 'otpauth-migration://offline?data=EAEYACAAKOfg%2B%2FgC' }, NOW, noQr));

    // Assess
    expect(error).toBeInstanceOf(InvalidSeedError);
    expect(error.message).toMatch(/nothing to import/);
  });

  it('passes on the issuer-conflict warning', async () => {
    // Act
    const seed = await readSeed({ uri: `otpauth://totp/Old:bob?secret=${RFC_KEY_BASE32}&issuer=New` }, NOW, noQr);

    // Assess
    expect(seed.warnings).toEqual([expect.objectContaining({ code: 'issuerConflict', labelPrefix: 'Old', parameter: 'New' })]);
  });
});

describe('readSeed from a setup key', () => {
  it('reads the key and applies the stated parameters', async () => {
    // Act
    const seed = await readSeed({ setupKey: 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq', digits: 8, issuer: 'RFC' }, NOW, noQr);

    // Assess
    expect(seed.key).toEqual(RFC_KEY);
    expect(seed.params).toMatchObject({ digits: 8, issuer: 'RFC', type: 'totp' });
  });
});

describe('readSeed with verifyCode', () => {
  const totpUri = `otpauth://totp/a?secret=${RFC_KEY_BASE32}`;
  const params = { type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, issuer: '', account: 'a' } as const;

  it.each([-30_000, 0, 30_000])('accepts the code of the step %p ms away', async (offset) => {
    // Prepare
    const { code } = totpAt(RFC_KEY, params, NOW + offset);

    // Act
    const seed = await readSeed({ uri: totpUri, verifyCode: code }, NOW, noQr);

    // Assess
    expect(seed.params).toEqual(params);
  });

  it('accepts a code typed with a space in the middle', async () => {
    // Prepare
    const { code } = totpAt(RFC_KEY, params, NOW);

    // Act
    const seed = await readSeed({ uri: totpUri, verifyCode: `${code.slice(0, 3)} ${code.slice(3)}` }, NOW, noQr);

    // Assess
    expect(seed.key).toEqual(RFC_KEY);
  });

  it('refuses a code two steps away, hinting at algorithm, digits, period and clock, without quoting the code', async () => {
    // Prepare
    const { code } = totpAt(RFC_KEY, params, NOW + 60_000);

    // Act
    const error = await rejection(readSeed({ uri: totpUri, verifyCode: code }, NOW, noQr));

    // Assess
    expectSafeCallerError(error, [code, RFC_KEY_BASE32], InvalidSeedError);
    expect(error.message).toMatch(/code from the device does not match/);
    expect(error.message).toMatch(/algorithm \(SHA1\), digits \(6\) and period \(30 s\)/);
  });

  it('refuses a code computed with another algorithm (the classic SHA1/SHA256 mix-up)', async () => {
    // Prepare
    const { code } = totpAt(RFC_KEY, { ...params, algorithm: 'SHA256' }, NOW);

    // Act
    const error = await rejection(readSeed({ uri: totpUri, verifyCode: code }, NOW, noQr));

    // Assess
    expect(error.message).toMatch(/does not match/);
  });

  it('says when the code has another number of digits than the seed', async () => {
    // Act
    const error = await rejection(readSeed({ uri: totpUri, verifyCode: '12345678' }, NOW, noQr));

    // Assess
    expectSafeCallerError(error, ['12345678'], InvalidSeedError);
    expect(error.message).toMatch(/has 8 digits but this seed makes 6-digit codes/);
  });

  it('refuses a code that is not digits', async () => {
    // Act
    const error = await rejection(readSeed({ uri: totpUri, verifyCode: '12a456' }, NOW, noQr));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
  });

  it('moves an HOTP counter past the code the device showed', async () => {
    // Prepare
    const hotp = { ...params, type: 'hotp' as const, counter: 4 };
    const code = hotpAt(RFC_KEY, hotp, 7);

    // Act
    const seed = await readSeed({ uri: `otpauth://hotp/a?secret=${RFC_KEY_BASE32}&counter=4`, verifyCode: code }, NOW, noQr);

    // Assess
    expect(seed.params.counter).toBe(8);
  });

  it('refuses an HOTP code past the look-ahead window, naming the counter range', async () => {
    // Prepare
    const code = hotpAt(RFC_KEY, { ...params, type: 'hotp' }, 11);

    // Act
    const error = await rejection(readSeed({ setupKey: RFC_KEY_BASE32, type: 'hotp', verifyCode: code }, NOW, noQr));

    // Assess
    expect(error.message).toMatch(/counter is within 10 of 0/);
  });
});

describe('readSeed from a picture', () => {
  it('reads the otpauth:// URI of the QR code', async () => {
    // Prepare
    const { deps, decode } = fakeQr([WIKI_URI]);

    // Act
    const seed = await readSeed({ qrImage: PNG_BASE64 }, NOW, deps);

    // Assess
    expect(seed.params.account).toBe('alice@google.com');
    expect(Buffer.from(decode.mock.calls[0]?.[0] ?? []).toString('latin1')).toBe('\x89PNG\r\n\x1a\nfake picture');
  });

  it('accepts a data URL and line breaks around the base64', async () => {
    // Prepare
    const { deps, decode } = fakeQr([WIKI_URI]);
    const wrapped = `data:image/png;base64,${PNG_BASE64.slice(0, 10)}\r\n${PNG_BASE64.slice(10)}`;

    // Act
    await readSeed({ qrImage: wrapped }, NOW, deps);

    // Assess
    expect(Buffer.from(decode.mock.calls[0]?.[0] ?? []).toString('base64')).toBe(PNG_BASE64);
  });

  it('ignores QR codes that hold something else, and a code found twice', async () => {
    // Prepare
    const { deps } = fakeQr(['https://example.com/help', WIKI_URI, `${WIKI_URI}\n`]);

    // Act
    const seed = await readSeed({ qrImage: PNG_BASE64 }, NOW, deps);

    // Assess
    expect(seed.params.issuer).toBe('Example');
  });

  it('reads an export QR code like an export URI', async () => {
    // Prepare
    const { deps } = fakeQr([TWO_ACCOUNTS]);

    // Act
    const seed = await readSeed({ qrImage: PNG_BASE64, entry: 1 }, NOW, deps);

    // Assess
    expect(seed.params.account).toBe('john.doe@example.com');
  });

  it('asks which account when the picture holds two different seed QR codes', async () => {
    // Prepare
    const { deps } = fakeQr([WIKI_URI, `otpauth://totp/Other:bob?secret=${RFC_KEY_BASE32}`]);

    // Act
    const error = await rejection(readSeed({ qrImage: PNG_BASE64 }, NOW, deps));

    // Assess
    expectSafeCallerError(error, [RFC_KEY_BASE32, 'JBSWY3DPEHPK3PXP'], InvalidSeedError);
    expect(error.message).toContain('1. Example (alice@google.com); 2. Other (bob)');
  });

  it('says so when the picture holds no QR code', async () => {
    // Prepare
    const { deps } = fakeQr([]);

    // Act
    const error = await rejection(readSeed({ qrImage: PNG_BASE64 }, NOW, deps));

    // Assess
    expect(error).toBeInstanceOf(InvalidSeedError);
    expect(error.message).toBe('no QR code found in the picture');
  });

  it('says so, without quoting it, when the QR code holds something else', async () => {
    // Prepare
    const other = 'WIFI:S:home;T:WPA;P:hunter22;;';
    const { deps } = fakeQr([other]);

    // Act
    const error = await rejection(readSeed({ qrImage: PNG_BASE64 }, NOW, deps));

    // Assess
    expectSafeCallerError(error, [other, 'hunter22'], InvalidSeedError);
    expect(error.message).toBe('the QR code does not contain an otpauth:// URI');
  });

  it('refuses a picture above the limit before decoding the base64 or the picture', async () => {
    // Prepare
    const { deps, decode } = fakeQr([WIKI_URI], 1000);
    const big = 'A'.repeat(1336);

    // Act
    const error = await rejection(readSeed({ qrImage: big }, NOW, deps));

    // Assess
    expect(error).toBeInstanceOf(TooLargeError);
    expect(error.message).toMatch(/larger than 1000 bytes/);
    expect(decode).not.toHaveBeenCalled();
  });

  it('refuses a huge text at once, without scanning it', async () => {
    // Prepare
    const { deps } = fakeQr([WIKI_URI], 1000);

    // Act
    const error = await rejection(readSeed({ qrImage: '*'.repeat(1_000_000) }, NOW, deps));

    // Assess
    expect(error).toBeInstanceOf(TooLargeError);
  });

  it('accepts a picture of exactly the limit', async () => {
    // Prepare
    const { deps } = fakeQr([WIKI_URI], 1002);
    const exact = Buffer.alloc(1002, 7).toString('base64');

    // Act
    const seed = await readSeed({ qrImage: exact }, NOW, deps);

    // Assess
    expect(seed.params.issuer).toBe('Example');
  });

  it.each(['not base64!', 'QUJD*', 'A', '===='])('refuses qrImage %p that is not base64', async (qrImage) => {
    // Prepare
    const { deps, decode } = fakeQr([WIKI_URI]);

    // Act
    const error = await rejection(readSeed({ qrImage }, NOW, deps));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/base64 of a PNG, JPEG, HEIC, WebP or AVIF picture/);
    expect(decode).not.toHaveBeenCalled();
  });

  it('passes on the errors of the QR decoder', async () => {
    // Prepare
    const deps: ReadSeedDeps = {
      loadQrReader: async () => ({
        QR_LIMITS: { maxImageBytes: 1000 },
        decodeQrTexts: async () => {
          throw new TooLargeError('the picture has more than 20 megapixels');
        },
      }),
    };

    // Act
    const error = await rejection(readSeed({ qrImage: PNG_BASE64 }, NOW, deps));

    // Assess
    expect(error.message).toBe('the picture has more than 20 megapixels');
  });
});

describe('readSeed input checks', () => {
  it.each([
    ['no source', {}],
    ['two sources', { uri: WIKI_URI, setupKey: 'JBSWY3DPEHPK3PXP' }],
    ['a number as uri', { uri: 5 }],
    ['a number as verifyCode', { uri: WIKI_URI, verifyCode: 123456 }],
  ])('refuses %s even without the schema in front', async (_name, input) => {
    // Act
    const error = await rejection(readSeed(input as unknown as SeedInput, NOW, noQr));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
  });

  it('does not quote a broken secret in its error', async () => {
    // Act
    const error = await rejection(readSeed({ uri: 'otpauth://totp/a?secret=JBSWY3DPEHPK3PX1SECRET' }, NOW, noQr));

    // Assess
    expectSafeCallerError(error, ['JBSWY3DPEHPK3PX1SECRET'], InvalidSeedError);
  });
});

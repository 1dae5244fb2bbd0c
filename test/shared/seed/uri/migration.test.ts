import { InvalidSeedError } from '../../../../shared/errors';
import { toBase32 } from '../../../../shared/otp';
import { parseMigrationUri } from '../../../../shared/seed';
import { decodeMigrationUri, migrationEntryToSeed, type MigrationEntry } from '../../../../shared/seed/migration';
import { hex, loadCorpus } from '../../otp/corpus';
import { caught, expectSafeCallerError } from '../helpers';

interface ExpectedEntry {
  secretHex: string;
  secretBase32: string;
  name: string;
  issuer: string;
  algorithm: string | number;
  digits: string | number;
  type: 'totp' | 'hotp';
  counter: number;
  effective: { type: string; algorithm: string; digits: number; period: number; issuer: string; account: string };
}
interface MigrationCase {
  id: string;
  uri: string;
  expected: { otpParameters: ExpectedEntry[]; version: number; batchSize: number; batchIndex: number; batchId: number };
}
interface EmptyOrInvalidCase {
  id: string;
  uri: string;
  expectedEntries: number | null;
  reason: string;
  lenientEntries?: number;
  expectedError?: boolean;
}
const corpus = loadCorpus<{ cases: MigrationCase[]; emptyOrInvalid: EmptyOrInvalidCase[] }>('migration-uris.json');

const ALGORITHM_ENUM: Record<string, number> = { UNSPECIFIED: 0, SHA1: 1, SHA256: 2, SHA512: 3, MD5: 4 };
const DIGITS_ENUM: Record<string, number> = { UNSPECIFIED: 0, '6': 1, '8': 2 };
const TYPE_ENUM: Record<string, number> = { hotp: 1, totp: 2 };

/** A minimal protobuf writer for building hostile payloads. */
const varint = (n: bigint): number[] => {
  const out: number[] = [];
  let v = n;
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
};
const lenField = (field: number, bytes: number[]): number[] => [...varint(BigInt((field << 3) | 2)), ...varint(BigInt(bytes.length)), ...bytes];
const intField = (field: number, value: bigint): number[] => [...varint(BigInt(field << 3)), ...varint(value)];
const text = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const toUri = (bytes: number[]): string => `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(bytes).toString('base64'))}`;
const entryBytes = (o: { secret?: number[]; name?: string; issuer?: string; algorithm?: number; digits?: number; type?: number; counter?: bigint }): number[] =>
  lenField(1, [
    ...lenField(1, o.secret ?? [...Buffer.from('48656c6c6f21deadbeef', 'hex')]),
    ...lenField(2, text(o.name ?? 'Example:alice@google.com')),
    ...lenField(3, text(o.issuer ?? 'Example')),
    ...intField(4, BigInt(o.algorithm ?? 1)),
    ...intField(5, BigInt(o.digits ?? 1)),
    ...intField(6, BigInt(o.type ?? 2)),
    ...(o.counter === undefined ? [] : intField(7, o.counter)),
  ]);

describe('decodeMigrationUri on the corpus', () => {
  it.each(corpus.cases)('decodes the raw fields of $id', ({ uri, expected }) => {
    // Act
    const payload = decodeMigrationUri(uri);

    // Assess
    expect({ version: payload.version, batchSize: payload.batchSize, batchIndex: payload.batchIndex, batchId: payload.batchId }).toEqual({
      version: expected.version,
      batchSize: expected.batchSize,
      batchIndex: expected.batchIndex,
      batchId: expected.batchId,
    });
    expect(
      payload.entries.map((e) => ({ secretHex: hex(e.secret), name: e.name, issuer: e.issuer, algorithm: e.algorithm, digits: e.digits, type: e.type, counter: Number(e.counter) })),
    ).toEqual(
      expected.otpParameters.map((e) => ({
        secretHex: e.secretHex,
        name: e.name,
        issuer: e.issuer,
        algorithm: ALGORITHM_ENUM[String(e.algorithm)],
        digits: DIGITS_ENUM[String(e.digits)],
        type: TYPE_ENUM[e.type],
        counter: e.counter,
      })),
    );
  });
});

describe('parseMigrationUri on the corpus', () => {
  it.each(corpus.cases)('gives the effective seeds of $id', ({ uri, expected }) => {
    // Act
    const seeds = parseMigrationUri(uri);

    // Assess
    expect(seeds.map((s) => ({ ...s.params, secretBase32: toBase32(s.key) }))).toEqual(
      expected.otpParameters.map((e) => ({ ...e.effective, counter: 0, secretBase32: e.secretBase32 })),
    );
  });

  it.each(corpus.emptyOrInvalid.filter((c) => c.expectedEntries === 0))('reads $id as an empty export', ({ uri }) => {
    // Act
    const seeds = parseMigrationUri(uri);

    // Assess
    expect(seeds).toEqual([]);
  });

  it.each(corpus.emptyOrInvalid.filter((c) => c.lenientEntries !== undefined))(
    'reads $id leniently: the scheme is case-insensitive (RFC 3986)',
    ({ uri, lenientEntries }) => {
      // Act
      const seeds = parseMigrationUri(uri);

      // Assess
      expect(seeds).toHaveLength(lenientEntries ?? -1);
    },
  );

  it.each(corpus.emptyOrInvalid.filter((c) => c.expectedError === true))('refuses $id as a whole: $reason', ({ uri }) => {
    // Act
    const error = caught(() => parseMigrationUri(uri));

    // Assess
    expectSafeCallerError(error, [uri.slice(uri.indexOf('data=') + 5)], InvalidSeedError);
    expect(error.message).toMatch(/damaged/);
  });
});

describe('parseMigrationUri policy and robustness', () => {
  it('reads raw "+" and "/" in data, and a space that form-decoding made of a "+"', () => {
    // Prepare: a payload whose base64 holds "+" and "/"
    const bytes = entryBytes({ secret: [0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xfe, 0xfb, 0xff, 0xbf, 0xfb], name: 'a', issuer: '' });
    const base64 = Buffer.from(bytes).toString('base64');
    expect(base64).toMatch(/[+/]/);

    // Act
    const raw = parseMigrationUri(`otpauth-migration://offline?data=${base64}`);
    const spaced = parseMigrationUri(`otpauth-migration://offline?data=${base64.replace(/\+/g, ' ')}`);

    // Assess
    expect(hex(raw[0]?.key ?? new Uint8Array())).toBe('fbffbffbeffefbffbffb');
    expect(spaced).toEqual(raw);
  });

  it('strips the name prefix only when it equals the issuer', () => {
    // Prepare
    const uri = toUri([...entryBytes({ name: 'Other:bob', issuer: 'Example' }), ...entryBytes({ name: 'Example: carol', issuer: 'Example' })]);

    // Act
    const seeds = parseMigrationUri(uri);

    // Assess
    expect(seeds.map((s) => s.params.account)).toEqual(['Other:bob', 'carol']);
  });

  it('reads HOTP entries with their counter, SHA512 and 8 digits', () => {
    // Prepare
    const uri = toUri(entryBytes({ type: 1, counter: 42n, algorithm: 3, digits: 2 }));

    // Act
    const [seed] = parseMigrationUri(uri);

    // Assess
    expect(seed?.params).toMatchObject({ type: 'hotp', counter: 42, algorithm: 'SHA512', digits: 8 });
  });

  it.each([
    ['MD5', { algorithm: 4 }, /MD5/],
    ['an unknown algorithm', { algorithm: 9 }, /algorithm is unknown/],
    ['unknown digits', { digits: 3 }, /digits/],
    ['an unknown type', { type: 7 }, /type/],
    ['a 4-byte key', { secret: [1, 2, 3, 4] }, /too short/],
    ['an HOTP counter above 2^53', { type: 1, counter: 2n ** 60n }, /counter/],
  ])('refuses an account with %s, naming its position', (_name, entry, message) => {
    // Prepare
    const uri = toUri([...entryBytes({}), ...entryBytes(entry)]);

    // Act
    const error = caught(() => parseMigrationUri(uri));

    // Assess
    expectSafeCallerError(error, ['JBSWY3DPEHPK3PXP'], InvalidSeedError);
    expect(error.message).toMatch(/account 2 of the export/);
    expect(error.message).toMatch(message);
  });

  it('decodes an account it cannot use without refusing the export (readSeed can pick another)', () => {
    // Prepare
    const uri = toUri([...entryBytes({ algorithm: 4 }), ...entryBytes({})]);

    // Act
    const payload = decodeMigrationUri(uri);

    // Assess
    expect(payload.entries).toHaveLength(2);
    expect(migrationEntryToSeed(payload.entries[1] as MigrationEntry, 2).params.algorithm).toBe('SHA1');
  });

  it.each([
    ['a length prefix far past the end', [0x0a, ...varint(2n ** 62n), 1, 2, 3]],
    ['a length prefix one byte past the end', [0x0a, 0x05, 1, 2, 3, 4]],
    ['a varint of 11 bytes', [0x10, ...Array<number>(10).fill(0xff), 0x01]],
    ['a varint cut short', [0x10, 0xff]],
    ['a group (wire type 3)', [0x0b, 0x0c]],
    ['field number 0', [0x00, 0x01]],
    ['a nested entry that is damaged', lenField(1, [0x0a, 0x7f])],
    ['an entry sent as a number', intField(1, 5n)],
    ['a name that is not UTF-8', lenField(1, [...lenField(1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), ...lenField(2, [0xff, 0xfe])])],
  ])('refuses a payload with %s', (_name, bytes) => {
    // Act
    const error = caught(() => parseMigrationUri(toUri(bytes)));

    // Assess
    expectSafeCallerError(error, [], InvalidSeedError);
    expect(error.message).toMatch(/damaged/);
  });

  it.each([
    ['data that is not base64', 'otpauth-migration://offline?data=%%%', /malformed percent-escape/],
    ['data with characters outside base64', 'otpauth-migration://offline?data=abc*', /not base64/],
    ['a host other than offline', 'otpauth-migration://online?data=', /offline/],
    ['a URI longer than 4096 characters', `otpauth-migration://offline?data=${'A'.repeat(4100)}`, /longer than 4096/],
    ['another scheme', 'otpauth://totp/a?secret=JBSWY3DPEHPK3PXP', /not an otpauth-migration/],
  ])('refuses %s', (_name, uri, message) => {
    // Act
    const error = caught(() => parseMigrationUri(uri));

    // Assess
    expectSafeCallerError(error, [], InvalidSeedError);
    expect(error.message).toMatch(message);
  });

  it('skips unknown fields, as protobuf readers do', () => {
    // Prepare: field 8 (unique_id) in the entry, field 9 (fixed64) and field 10 (fixed32) in the payload
    const entry = entryBytes({});
    const withUniqueId = lenField(1, [...entry.slice(2), ...lenField(8, text('uuid'))]);
    const uri = toUri([...withUniqueId, 0x49, 1, 2, 3, 4, 5, 6, 7, 8, 0x55, 1, 2, 3, 4]);

    // Act
    const seeds = parseMigrationUri(uri);

    // Assess
    expect(seeds).toHaveLength(1);
    expect(seeds[0]?.params.account).toBe('alice@google.com');
  });
});

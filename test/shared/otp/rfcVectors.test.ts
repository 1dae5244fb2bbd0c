import { hotpAt, OTP_DEFAULTS, totpAt, type OtpAlgorithm, type OtpParams } from '../../../shared/otp';
import { fromHex, loadCorpus } from './corpus';

interface TotpVectors {
  seeds: Record<OtpAlgorithm, { hex: string; base32: string }>;
  hotp_rfc4226: { algorithm: OtpAlgorithm; digits: number; seed: OtpAlgorithm; rows: { counter: number; hotp: string }[] };
  totp_rfc6238: {
    digits: number;
    period: number;
    rows: { unixTime: number; utc: string; T_hex: string; algorithm: OtpAlgorithm; seed: OtpAlgorithm; totp: string }[];
  };
  pitfalls: { what: string; totp: string }[];
}

const vectors = loadCorpus<TotpVectors>('totp-vectors.json');
const seedKey = (alg: OtpAlgorithm): Uint8Array => fromHex(vectors.seeds[alg].hex);

describe('RFC 4226 Appendix D HOTP values', () => {
  const table = vectors.hotp_rfc4226;
  const params: OtpParams = { ...OTP_DEFAULTS, type: 'hotp', algorithm: table.algorithm, digits: table.digits };

  it.each(table.rows)('gives $hotp for counter $counter', ({ counter, hotp }) => {
    // Prepare
    const key = seedKey(table.seed);

    // Act
    const code = hotpAt(key, params, counter);

    // Assess
    expect(code).toBe(hotp);
  });
});

describe('RFC 6238 Appendix B TOTP values', () => {
  const table = vectors.totp_rfc6238;

  it.each(table.rows)('gives $totp with $algorithm at $utc', ({ unixTime, T_hex, algorithm, seed, totp }) => {
    // Prepare
    const params: OtpParams = { ...OTP_DEFAULTS, algorithm, digits: table.digits, period: table.period };

    // Act
    const result = totpAt(seedKey(seed), params, unixTime * 1000);

    // Assess
    expect(result.code).toBe(totp);
    expect(result.timeStep).toBe(Number.parseInt(T_hex, 16));
  });

  it('uses the per-algorithm seed: the 20-byte seed gives the known wrong values for SHA256 and SHA512', () => {
    // Prepare
    const shortSeed = seedKey('SHA1');
    const [sha256Pitfall, sha512Pitfall] = vectors.pitfalls;

    // Act
    const sha256 = totpAt(shortSeed, { ...OTP_DEFAULTS, algorithm: 'SHA256', digits: 8 }, 59_000).code;
    const sha512 = totpAt(shortSeed, { ...OTP_DEFAULTS, algorithm: 'SHA512', digits: 8 }, 59_000).code;

    // Assess
    expect(sha256).toBe(sha256Pitfall?.totp);
    expect(sha512).toBe(sha512Pitfall?.totp);
  });
});

import { randomBytes, randomInt } from 'node:crypto';
import { hotpAt, OTP_DEFAULTS, OTP_LIMITS, totpAt, type OtpAlgorithm, type OtpParams } from '../../../shared/otp';
import { OATHTOOL_MISSING, oathtoolCodes, oathtoolVersion, type OathtoolRequest } from '../../helpers/oathtool';
import { pick, seededRandom } from '../../helpers/random';

/*
 * Cross-checks against oathtool (OATH Toolkit, Debian package "oathtool") on random keys. The tests FAIL,
 * never skip, when oathtool is missing: CI installs it, and a silent skip would hide a lost check.
 */

const version = oathtoolVersion();

/**
 * oathtool's code for each request, one code per request, from one shell per test (oathtoolCodes):
 * a Node spawn per code made the fixed cases most of this file's time.
 */
function oathtool(requests: OathtoolRequest[]): string[] {
  return oathtoolCodes(requests.map((request) => ({ ...request, window: 0 }))).map(([code]) => code as string);
}

const ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
/** Key sizes: the hash size of each algorithm, plus the common 10-byte key and an odd size. */
const KEY_BYTES: Readonly<Record<OtpAlgorithm, number[]>> = { SHA1: [10, 20], SHA256: [32, 17], SHA512: [64, 33] };
/** Epoch, RFC 6238 rows, step boundaries, 2^31 (32-bit overflow), 2^32 + 1, year 2603. */
const FIXED_TIMES = [0, 59, 1_111_111_109, 1_234_567_890, 2_147_483_648, 4_294_967_297, 20_000_000_000];

const cases = ALGORITHMS.flatMap((algorithm) =>
  KEY_BYTES[algorithm].flatMap((keyBytes) =>
    [6, 8].flatMap((digits) => [30, 60].map((period) => ({ algorithm, keyBytes, digits, period }))),
  ),
);

const RANDOM_CASES = 1200;
/** HMAC block size: a longer key is hashed first (RFC 2104), a path worth comparing. */
const HASH_BLOCK_BYTES: Readonly<Record<OtpAlgorithm, number>> = { SHA1: 64, SHA256: 64, SHA512: 128 };

describe('oathtool cross-check', () => {
  it('finds oathtool on the PATH', () => {
    // Prepare, Act
    const found = version;

    // Assess
    if (found === undefined) throw new Error(OATHTOOL_MISSING);
    expect(found).toMatch(/oathtool/);
  });

  it.each(cases)(
    'gives the same TOTP codes as oathtool for $algorithm, $keyBytes-byte keys, $digits digits, $period s',
    ({ algorithm, keyBytes, digits, period }) => {
      // Prepare
      const key = new Uint8Array(randomBytes(keyBytes));
      const params: OtpParams = { ...OTP_DEFAULTS, algorithm, digits, period };
      const times = [...FIXED_TIMES, randomInt(0, 2 ** 40)];

      // Act
      const ours = times.map((t) => totpAt(key, params, t * 1000).code);
      const theirs = oathtool(times.map((t) => ({ mode: 'totp', key, algorithm, digits, period, atSeconds: t })));

      // Assess
      expect(ours).toEqual(theirs);
    },
  );

  /*
   * oathtool's --hotp mode is SHA1 only. For SHA256/SHA512, TOTP with a 1-second step at time t is HOTP
   * at counter t (RFC 6238 section 1.2: TOTP is HOTP over the time step), so that mode is compared instead.
   */
  const hotpRequest = (key: Uint8Array, algorithm: OtpAlgorithm, digits: number, counter: number): OathtoolRequest =>
    algorithm === 'SHA1' ? { mode: 'hotp', key, digits, counter } : { mode: 'totp', key, digits, algorithm, period: 1, atSeconds: counter };

  it.each(ALGORITHMS.flatMap((algorithm) => [6, 8].map((digits) => ({ algorithm, digits }))))(
    'gives the same HOTP codes as oathtool for $algorithm with $digits digits',
    ({ algorithm, digits }) => {
      // Prepare
      const key = new Uint8Array(randomBytes(20));
      const params: OtpParams = { ...OTP_DEFAULTS, type: 'hotp', algorithm, digits };
      const counters = [0, 1, 9, 255, 256, 2 ** 32 + 7, randomInt(0, 2 ** 40)];

      // Act
      const ours = counters.map((c) => hotpAt(key, params, c));
      const theirs = oathtool(counters.map((c) => hotpRequest(key, algorithm, digits, c)));

      // Assess
      expect(ours).toEqual(theirs);
    },
  );

  it(`gives the same TOTP codes as oathtool in ${RANDOM_CASES} seeded-random cases, at the first and last second of each step`, () => {
    // Prepare: set OTPVAULT_OATH_SEED to replay a run.
    const seed = Number(process.env.OTPVAULT_OATH_SEED ?? randomInt(2 ** 31));
    const cases = randomCases(seed, RANDOM_CASES);
    // Act: oathtool gives the codes of the case's step and the next one.
    const theirs = oathtoolCodes(cases.map(({ key, algorithm, digits, period, step }) => ({ mode: 'totp', key, algorithm, digits, period, atSeconds: step * period, window: 1 })));
    const mismatches: string[] = [];
    for (const [i, c] of cases.entries()) {
      const params: OtpParams = { ...OTP_DEFAULTS, algorithm: c.algorithm, digits: c.digits, period: c.period };
      const start = c.step * c.period * 1000;
      const instants = [
        [start, 0],
        [start + 999, 0],
        [start + (c.period - 1) * 1000, 0],
        [start + c.period * 1000 - 1, 0],
        [start + c.period * 1000, 1],
      ] as const;
      for (const [at, step] of instants) {
        const ours = totpAt(c.key, params, at).code;
        if (ours !== theirs[i]![step]) mismatches.push(`case ${i} (${describeCase(c)}) at ${at} ms: ours ${ours}, oathtool ${theirs[i]![step]}`);
      }
    }
    // Assess
    if (mismatches.length > 0) throw new Error(`OTPVAULT_OATH_SEED=${seed}: ${mismatches.length} mismatch(es)\n${mismatches.slice(0, 20).join('\n')}`);
    expect(cases.filter((c) => c.digits === 7).length).toBeGreaterThan(100);
    expect(cases.filter((c) => c.period !== 30 && c.period !== 60).length).toBeGreaterThan(500);
    expect(cases.filter((c) => c.key.length > HASH_BLOCK_BYTES[c.algorithm]).length).toBeGreaterThan(100);
  });

  it('gives the same HOTP codes as oathtool over windows of counters, seeded-random keys', () => {
    // Prepare
    const seed = Number(process.env.OTPVAULT_OATH_SEED ?? randomInt(2 ** 31));
    const random = seededRandom(seed);
    const requests = Array.from({ length: 100 }, () => ({
      mode: 'hotp' as const,
      key: randomKey(random, 'SHA1'),
      digits: pick(random, [6, 7, 8]),
      counter: Math.floor(random() * 2 ** 40),
      window: 4,
    }));
    // Act
    const theirs = oathtoolCodes(requests);
    const ours = requests.map((r) => Array.from({ length: 5 }, (_, k) => hotpAt(r.key, { ...OTP_DEFAULTS, type: 'hotp', digits: r.digits }, r.counter + k)));
    // Assess
    const differing = ours.flatMap((codes, i) => (codes.join() === theirs[i]!.join() ? [] : [`counter ${requests[i]!.counter}, ${requests[i]!.key.length}-byte key`]));
    if (differing.length > 0) throw new Error(`OTPVAULT_OATH_SEED=${seed}: ${differing.join('; ')}`);
    expect(theirs.flat()).toHaveLength(500);
  });
});

interface RandomCase {
  key: Uint8Array;
  algorithm: OtpAlgorithm;
  digits: number;
  period: number;
  step: number;
}

/** A key of any allowed length; a third of them longer than the hash block where the limit allows. */
function randomKey(random: () => number, algorithm: OtpAlgorithm): Uint8Array {
  const { min, max } = OTP_LIMITS.keyBytes;
  const long = random() < 1 / 3 && HASH_BLOCK_BYTES[algorithm] < max;
  const from = long ? HASH_BLOCK_BYTES[algorithm] + 1 : min;
  const length = from + Math.floor(random() * (max - from + 1));
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

function randomCases(seed: number, count: number): RandomCase[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const algorithm = pick(random, ['SHA1', 'SHA256', 'SHA512'] as const);
    const period = random() < 0.2 ? pick(random, [30, 60]) : OTP_LIMITS.period.min + Math.floor(random() * OTP_LIMITS.period.max);
    // Steps up to 2^40 s in all, beyond 2^32 s (32-bit overflow) too.
    const step = Math.floor((random() * 2 ** 40) / period);
    return { key: randomKey(random, algorithm), algorithm, digits: pick(random, [6, 7, 8]), period, step };
  });
}

function describeCase(c: RandomCase): string {
  return `${c.algorithm}, ${c.key.length}-byte key ${Buffer.from(c.key).toString('hex')}, ${c.digits} digits, ${c.period} s, step ${c.step}`;
}

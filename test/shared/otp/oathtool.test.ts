import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { hotpAt, OTP_DEFAULTS, totpAt, type OtpAlgorithm, type OtpParams } from '../../../shared/otp';

/*
 * Cross-checks against oathtool (OATH Toolkit, Debian package "oathtool") on random keys. The tests FAIL,
 * never skip, when oathtool is missing: CI installs it, and a silent skip would hide a lost check.
 */

const MISSING = 'oathtool is not installed: run `apt-get install -y oathtool` (Debian package oathtool)';

function oathtoolVersion(): string | undefined {
  try {
    return execFileSync('oathtool', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}
const version = oathtoolVersion();

function oathtool(args: string[]): string {
  if (version === undefined) throw new Error(MISSING);
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
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

describe('oathtool cross-check', () => {
  it('finds oathtool on the PATH', () => {
    // Prepare, Act
    const found = version;

    // Assess
    if (found === undefined) throw new Error(MISSING);
    expect(found).toMatch(/oathtool/);
  });

  it.each(cases)(
    'gives the same TOTP codes as oathtool for $algorithm, $keyBytes-byte keys, $digits digits, $period s',
    ({ algorithm, keyBytes, digits, period }) => {
      // Prepare
      const key = new Uint8Array(randomBytes(keyBytes));
      const params: OtpParams = { ...OTP_DEFAULTS, algorithm, digits, period };
      const times = [...FIXED_TIMES, randomInt(0, 2 ** 40), Math.floor(Date.now() / 1000)];

      // Act
      const ours = times.map((t) => totpAt(key, params, t * 1000).code);
      const theirs = times.map((t) =>
        oathtool([`--totp=${algorithm.toLowerCase()}`, '-d', String(digits), '-s', String(period), `--now=@${t}`, Buffer.from(key).toString('hex')]),
      );

      // Assess
      expect(ours).toEqual(theirs);
    },
  );

  /*
   * oathtool's --hotp mode is SHA1 only. For SHA256/SHA512, TOTP with a 1-second step at time t is HOTP
   * at counter t (RFC 6238 section 1.2: TOTP is HOTP over the time step), so that mode is compared instead.
   */
  const hotpArgs = (algorithm: OtpAlgorithm, counter: number): string[] =>
    algorithm === 'SHA1' ? ['--hotp', '-c', String(counter)] : [`--totp=${algorithm.toLowerCase()}`, '-s', '1', `--now=@${counter}`];

  it.each(ALGORITHMS.flatMap((algorithm) => [6, 8].map((digits) => ({ algorithm, digits }))))(
    'gives the same HOTP codes as oathtool for $algorithm with $digits digits',
    ({ algorithm, digits }) => {
      // Prepare
      const key = new Uint8Array(randomBytes(20));
      const params: OtpParams = { ...OTP_DEFAULTS, type: 'hotp', algorithm, digits };
      const counters = [0, 1, 9, 255, 256, 2 ** 32 + 7, randomInt(0, 2 ** 40)];

      // Act
      const ours = counters.map((c) => hotpAt(key, params, c));
      const theirs = counters.map((c) => oathtool([...hotpArgs(algorithm, c), '-d', String(digits), Buffer.from(key).toString('hex')]));

      // Assess
      expect(ours).toEqual(theirs);
    },
  );
});

import { execFileSync } from 'node:child_process';
import type { OtpAlgorithm } from '../../shared/otp';

/*
 * oathtool (OATH Toolkit, Debian package "oathtool"): the independent implementation the vault's
 * codes are compared with (the vault itself computes them with the otpauth library). Missing, it
 * fails the tests that need it, never skips them: a silent skip would hide a lost check.
 */

export const OATHTOOL_MISSING = 'oathtool is not installed: run `apt-get install -y oathtool` (Debian package oathtool)';

/** `oathtool --version`'s first line, or undefined when oathtool is not on the PATH. */
export function oathtoolVersion(): string | undefined {
  try {
    return execFileSync('oathtool', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}

/** One oathtool call: `window + 1` codes from the step of `atSeconds` (TOTP) or from `counter` (HOTP, SHA1 only in oathtool). */
export type OathtoolRequest = { key: Uint8Array | { base32: string }; digits: number; window?: number } & (
  | { mode: 'totp'; algorithm: OtpAlgorithm; period: number; atSeconds: number }
  | { mode: 'hotp'; counter: number }
);

function argsOf(request: OathtoolRequest): string[] {
  const common = ['-d', String(request.digits), '-w', String(request.window ?? 0)];
  const mode =
    request.mode === 'totp'
      ? [`--totp=${request.algorithm.toLowerCase()}`, '-s', String(request.period), `--now=@${request.atSeconds}`]
      : ['--hotp', '-c', String(request.counter)];
  // A base32 seed goes to oathtool as is (-b): decoding it is part of what is compared.
  const key = request.key instanceof Uint8Array ? [Buffer.from(request.key).toString('hex')] : ['-b', request.key.base32];
  return [...mode, ...common, ...key];
}

/**
 * The codes oathtool gives for each request, all from one shell (one process per request, but no
 * Node spawn per request: a thousand calls take about a second).
 *
 * @throws Error when oathtool is missing or refuses a request.
 */
export function oathtoolCodes(requests: readonly OathtoolRequest[]): string[][] {
  if (requests.length === 0) return [];
  const script = requests.map((request) => `oathtool ${argsOf(request).join(' ')} || echo FAILED; echo --`).join('\n');
  let output: string;
  try {
    output = execFileSync('sh', ['-s'], { input: script, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    throw new Error(oathtoolVersion() === undefined ? OATHTOOL_MISSING : `oathtool failed: ${(error as Error).message}`);
  }
  const blocks = output.split('--\n').slice(0, requests.length);
  return blocks.map((block, i) => {
    const codes = block.split('\n').filter((line) => line.length > 0);
    if (codes.includes('FAILED') || codes.length !== (requests[i]!.window ?? 0) + 1) {
      throw new Error(oathtoolVersion() === undefined ? OATHTOOL_MISSING : `oathtool refused: oathtool ${argsOf(requests[i]!).join(' ')}`);
    }
    return codes;
  });
}

/** oathtool's TOTP code at `atMs` (epoch ms) for a base32 seed. */
export function oathtoolTotp(base32: string, atMs: number, params: { algorithm?: OtpAlgorithm; digits?: number; period?: number } = {}): string {
  const request: OathtoolRequest = {
    mode: 'totp',
    key: { base32 },
    algorithm: params.algorithm ?? 'SHA1',
    digits: params.digits ?? 6,
    period: params.period ?? 30,
    atSeconds: Math.floor(atMs / 1000),
  };
  return (oathtoolCodes([request])[0] as [string])[0];
}

/** oathtool's HOTP codes for counters `from` .. `from + count - 1` of a base32 seed (SHA1). */
export function oathtoolHotp(base32: string, from: number, count: number, digits = 6): string[] {
  return oathtoolCodes([{ mode: 'hotp', key: { base32 }, counter: from, digits, window: count - 1 }])[0] as string[];
}

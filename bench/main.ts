/**
 * `npm run bench`: every benchmark, one process each (a process runs one local stack), in order.
 * Figures are printed, never asserted: they vary with the machine and its load.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHES = [
  ['QR decoding on the corpus', 'qrDecode.ts'],
  ['OTP endpoint vs the DynamoDB Local floor, with and without the audit path', 'otpEndpoint.ts'],
  ['What a million codes and a million denials cost (after the OTP bench)', 'cost.ts'],
  ['Function bundles: size and cold init beside the SDK import floor', 'bundles.ts'],
  ['Policy evaluation', 'policyEval.ts'],
  ['GET /v1/me/secrets as secrets and policies grow', 'mySecrets.ts'],
  ['Audit queries over 100,000 events', 'auditQuery.ts'],
  ['otpvault otp --quiet as a process vs oathtool', 'cliOtp.ts'],
] as const;

const only = process.argv.slice(2);
let failed = 0;
for (const [title, file] of BENCHES) {
  if (only.length && !only.some((o) => file.startsWith(o))) continue;
  console.log(`\n=== ${title} (bench/${file}) ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

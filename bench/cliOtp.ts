/**
 * `otpvault otp <path> --quiet` as a whole process (the bundled bin, token path), median of 20
 * wall times, beside `oathtool --totp` (the floor: a C program computing a code locally) and a bare
 * `node -e 0` (what any Node CLI pays to start). The CLI also makes HTTP requests (path → id, only
 * until the id is remembered, then the code, whose audit event is written first).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLocalStack } from '../local/stack';
import { buildCli } from '../scripts/build-cli.mjs';

const run = promisify(execFile);
const RUNS = 20;
const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function medianMs(label: string, file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return medianOf(label, async () => {
    await run(file, args, { env });
  });
}

async function medianOf(label: string, work: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = ((times[RUNS / 2 - 1] as number) + (times[RUNS / 2] as number)) / 2;
  console.log(`  ${label.padEnd(44)} median ${median.toFixed(1).padStart(7)} ms   (min ${(times[0] as number).toFixed(1)}, max ${(times[RUNS - 1] as number).toFixed(1)})`);
  return median;
}

process.env.OTPVAULT_LOG_LEVEL = 'warn';
const work = mkdtempSync(join(tmpdir(), 'otpvault-bench-cli-'));
const bundleDir = fileURLToPath(new URL(`../node_modules/.cache/otpvault-cli-bench-${process.pid}`, import.meta.url));
const stack = await startLocalStack({ dataDir: join(work, 'data'), port: 0, quiet: true });
try {
  const cli = await buildCli(bundleDir);
  const token = await stack.issuer.signToken({ user: 'bench', groups: ['admins'] });
  const created = await fetch(`${stack.url}/v1/secrets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/bench/cli', template: 'otp-only', fields: { otpSeed: { setupKey: SEED } } }),
  });
  if (created.status !== 201) throw new Error(`could not create the secret: ${created.status}`);
  const env = { PATH: process.env.PATH, HOME: work, OTPVAULT_CONFIG_DIR: join(work, 'config'), OTPVAULT_TOKEN: token, OTPVAULT_ENDPOINT: stack.url };
  await run(process.execPath, [cli, 'otp', '/bench/cli', '--quiet'], { env }); // warm the handlers
  console.log(`${RUNS} runs each, one after the other:`);
  const floor = await medianMs('oathtool --totp (floor)', 'oathtool', ['--totp', '-b', SEED], env);
  const node = await medianMs('node -e 0 (Node start)', process.execPath, ['-e', '0'], env);
  const { id } = (await created.json()) as { id: string };
  const request = await medianOf('the API request alone (POST .../otp, in-process fetch)', async () => {
    await fetch(`${stack.url}/v1/secrets/${id}/otp`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  });
  await medianMs('otpvault otp <id> --quiet (one request)', process.execPath, [cli, 'otp', id, '--quiet'], env);
  const cliMs = await medianMs('otpvault otp /bench/cli --quiet (path; id remembered)', process.execPath, [cli, 'otp', '/bench/cli', '--quiet'], env);
  void request;
  console.log(`  otpvault / oathtool: ${(cliMs / floor).toFixed(1)}x (aim: <= 5x); otpvault / node start: ${(cliMs / node).toFixed(1)}x`);
} finally {
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
}

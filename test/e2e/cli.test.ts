import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import QRCode from 'qrcode';
import { buildCli } from '../../scripts/build-cli.mjs';
import { uniquePath, startTestVault, type TestVault } from '../helpers/vault';

/**
 * The CLI as a user runs it: a separate process (the bundled bin), against the local stack, with a
 * profile made by `configure`, a bearer token from the environment, and SigV4 as local role ci.
 * Few processes on purpose: each costs a Node start; independent ones run side by side.
 */

const SEED = 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ';
const ROLE = 'role:arn:aws:iam::000000000000:role/ci';

let vault: TestVault;
let work: string;
let cli: string;
let bundleDir: string;
let adminToken: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function otpvault(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: work, OTPVAULT_CONFIG_DIR: join(work, 'config'), ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

/** A JPEG "photo" of the enrollment QR code: rendered, then JPEG-compressed (quality 70). */
function qrJpeg(text: string, file: string): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const scale = 6;
  const margin = 4;
  const size = (qr.modules.size + 2 * margin) * scale;
  const data = Buffer.alloc(size * size * 4, 0xff);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const mx = Math.floor(x / scale) - margin;
      const my = Math.floor(y / scale) - margin;
      const dark = mx >= 0 && my >= 0 && mx < qr.modules.size && my < qr.modules.size && qr.modules.get(my, mx);
      const offset = (y * size + x) * 4;
      // Paper is never pure white nor ink pure black in a photo.
      data.fill(dark ? 40 : 225, offset, offset + 3);
    }
  }
  writeFileSync(file, jpeg.encode({ data, width: size, height: size }, 70).data);
}

function oathtool(secondsAgo = 0): string {
  const at = new Date(Date.now() - secondsAgo * 1000).toISOString().replace('T', ' ').slice(0, 19);
  return execFileSync('oathtool', ['--totp', '-b', SEED, '-N', `${at} UTC`], { encoding: 'utf8' }).trim();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'otpvault-e2e-'));
  // Inside the repository, so the bundle finds its packages in node_modules.
  bundleDir = fileURLToPath(new URL(`../../node_modules/.cache/otpvault-cli-e2e-${process.pid}`, import.meta.url));
  [vault, cli] = await Promise.all([startTestVault(), buildCli(bundleDir)]);
  adminToken = await vault.token('alice', ['admins']);
  const admin = await otpvault(['configure', '--local', '--data-dir', vault.dataDir, '--endpoint', vault.url]);
  const ci = await otpvault(['--profile', 'ci', 'configure', '--local', '--iam', '--role', 'ci', '--data-dir', vault.dataDir, '--endpoint', vault.stack.iamUrl]);
  expect([admin.code, admin.stderr, ci.code, ci.stderr]).toEqual([0, '', 0, '']);
  await vault.call('POST', '/v1/policies', {
    token: adminToken,
    body: { name: 'ci codes', effect: 'allow', principals: [ROLE], resources: ['/e2e/**'], actions: ['otp:generate', 'recovery:reveal'] },
  });
}, 60_000);
afterAll(async () => {
  await vault?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

describe('otpvault as a process against the local stack', () => {
  it('creates a secret from a JPEG photo, prints the code oathtool computes, reveals a recovery code and finds both in the audit log', async () => {
    // Prepare
    const path = uniquePath('/e2e');
    const photo = join(work, 'enrollment.jpg');
    qrJpeg(`otpauth://totp/ACME:root?secret=${SEED}&issuer=ACME`, photo);
    writeFileSync(join(work, 'codes.txt'), 'rc-one\nrc-two\n');
    const token = { OTPVAULT_TOKEN: adminToken };

    // Act
    const created = await otpvault(['secrets', 'create', path, '--template', 'otp-only', '--qr', photo, '--recovery-codes', join(work, 'codes.txt')], token);
    // The code and the recovery code are independent reads of the new secret: side by side.
    const [[otp, expected], recovery] = await Promise.all([
      otpvault(['otp', path, '--quiet', '--min-valid', '3'], token).then((run) => [run, [oathtool(), oathtool(3)]] as const),
      otpvault(['recovery', 'reveal', path], token),
    ]);
    await vault.stack.audit.flush();
    const audit = await otpvault(['audit', 'query', '--secret', path, '--json'], token);

    // Assess
    expect([created.code, created.stderr]).toEqual([0, '']);
    expect(created.stdout).toMatch(/^[A-Za-z0-9-]{8,64}\n$/);
    expect([otp.code, otp.stderr]).toEqual([0, '']);
    expect(otp.stdout).toMatch(/^\d{6}\n$/);
    expect(expected).toContain(otp.stdout.trim());
    expect(recovery.stdout).toBe('rc-one\n');
    const events = (JSON.parse(audit.stdout) as { items: { action: string; actor: { principal: string }; result: string }[] }).items;
    expect(events.map((e) => [e.action, e.actor.principal, e.result])).toEqual(
      expect.arrayContaining([
        ['otp:generate', 'user:alice', 'allowed'],
        ['recovery:reveal', 'user:alice', 'allowed'],
        ['secret:write', 'user:alice', 'allowed'],
      ]),
    );
  });

  it('signs with SigV4 as local role ci: the same code, every code under a prefix, the role as caller', async () => {
    // Prepare
    const path = uniquePath('/e2e');
    // The setup key from stdin, not the command line.
    const made = await otpvault(['secrets', 'create', path, '--template', 'otp-only', '--key', '-', '--json'], { OTPVAULT_TOKEN: adminToken }, `${SEED}\n`);

    // Act: three processes side by side (each is mostly a Node start); oathtool's codes are taken as
    // soon as the code's process has answered.
    const [me, [otp, expected], all] = await Promise.all([
      otpvault(['--profile', 'ci', 'me', '--json']),
      otpvault(['--profile', 'ci', 'otp', path, '--quiet', '--min-valid', '3']).then((run) => [run, [oathtool(), oathtool(3)]] as const),
      otpvault(['--profile', 'ci', 'otp', '--all', `${path.split('/').slice(0, 2).join('/')}/`, '--json']),
    ]);

    // Assess
    expect([made.code, made.stderr, JSON.parse(made.stdout).path]).toEqual([0, '', path]);
    expect(JSON.parse(me.stdout).principal.id).toBe(ROLE);
    expect([otp.code, otp.stderr]).toEqual([0, '']);
    expect(expected).toContain(otp.stdout.trim());
    const items = (JSON.parse(all.stdout) as { items: { path: string; otp?: { code: string } }[] }).items;
    expect(items.find((i) => i.path === path)?.otp?.code).toMatch(/^\d{6}$/);
  });

  it('loads no AWS SDK, zod or local-stack module before a command asks for it (the token path starts light)', () => {
    // Prepare: the static imports of the bundle's entry, following its own chunks.
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^import\s[^'"]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm)) {
        if (!specifier) continue;
        if (specifier.startsWith('.')) visit(join(dirname(file), specifier));
        else packages.add(specifier);
      }
    };

    // Act
    visit(cli);

    // Assess
    expect([...packages].filter((p) => !p.startsWith('node:')).sort()).toEqual(['commander']);
  });

  it('fails with one line on stderr and the exit code of each kind of failure', async () => {
    // Prepare
    const stranger = await vault.token('eve', ['nobody']);

    // Act: the five failures are independent, so their processes run side by side.
    const [invalid, unauthenticated, denied, notFound, unreachable] = await Promise.all([
      otpvault(['otp', '/e2e/x', '--min-valid', 'soon'], { OTPVAULT_TOKEN: adminToken }),
      otpvault(['me']),
      otpvault(['policies', 'ls'], { OTPVAULT_TOKEN: stranger }),
      otpvault(['otp', '/e2e/no/such/secret', '--quiet'], { OTPVAULT_TOKEN: adminToken }),
      otpvault(['--endpoint', 'http://127.0.0.1:9', 'me'], { OTPVAULT_TOKEN: adminToken }),
    ]);

    // Assess
    const summary = (r: Run) => [r.code, r.stdout, r.stderr.trim().split('\n').length];
    expect(invalid.code).toBe(2);
    expect(summary(unauthenticated)).toEqual([3, '', 1]);
    expect(summary(denied)).toEqual([4, '', 1]);
    expect(summary(notFound)).toEqual([5, '', 1]);
    expect(summary(unreachable)).toEqual([7, '', 1]);
    expect(denied.stderr).toMatch(/^otpvault: .*\(403 Forbidden\)\n$/);
  });
});

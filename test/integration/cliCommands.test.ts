import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure } from '../../cli/core/errors';
import { createProgram, type CliOutput } from '../../cli/program';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

/** The CLI's commands in-process against the local stack (the subprocess path is test/e2e). */

let vault: TestVault;
let work: string;
const saved = { token: process.env.OTPVAULT_TOKEN, config: process.env.OTPVAULT_CONFIG_DIR };

async function run(...args: string[]): Promise<{ out: string; exitCode: number; message?: string }> {
  let out = '';
  const output: CliOutput = { out: (text) => void (out += text), err: () => undefined };
  try {
    await createProgram(output).parseAsync(['--endpoint', vault.url, ...args], { from: 'user' });
    return { out, exitCode: 0 };
  } catch (error) {
    return { out, ...describeFailure(error) };
  }
}

beforeAll(async () => {
  vault = await startTestVault();
  work = mkdtempSync(join(tmpdir(), 'otpvault-cli-'));
  process.env.OTPVAULT_CONFIG_DIR = join(work, 'config');
  process.env.OTPVAULT_TOKEN = await vault.token('alice', ['admins']);
});
afterAll(async () => {
  process.env.OTPVAULT_TOKEN = saved.token;
  process.env.OTPVAULT_CONFIG_DIR = saved.config;
  await vault?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('otpvault commands', () => {
  it('manages a secret by path: create with a URI, show, list, overwrite the seed, delete', async () => {
    // Prepare
    const path = uniquePath('/cli');

    // Act
    const created = await run('secrets', 'create', path, '--template', 'otp-only', '--uri', 'otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&issuer=X', '--field', 'account=ops@example.com', '--json');
    const shown = await run('secrets', 'show', path, '--json');
    const listed = await run('secrets', 'ls', '--prefix', path, '--json');
    const reseeded = await run('seed', 'set', path, '--key', 'GEZDGNBVGY3TQOJQ', '--digits', '8');
    const code = await run('otp', path, '--quiet');
    const refused = await run('secrets', 'rm', path);
    const removed = await run('secrets', 'rm', path, '--yes');
    const gone = await run('secrets', 'show', path);

    // Assess
    expect(created.exitCode).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ path, template: 'otp-only', fields: { account: 'ops@example.com' } });
    expect(JSON.parse(listed.out).items.map((s: { path: string }) => s.path)).toEqual([path]);
    expect(reseeded.out).toMatch(/seed of .* replaced \(version 2\)/);
    expect(code.out).toMatch(/^\d{8}\n$/);
    expect(refused).toMatchObject({ exitCode: 2, message: expect.stringMatching(/--yes/) });
    expect(removed.out).toMatch(/^deleted /);
    expect(gone.exitCode).toBe(5);
  });

  it('remembers the id of a path, and follows the path to a secret made again there', async () => {
    // Prepare
    const path = uniquePath('/cli');
    const create = async () => (await run('secrets', 'create', path, '--template', 'otp-only', '--key', 'JBSWY3DPEHPK3PXP')).out.trim();
    const first = await create();
    await run('otp', path, '--quiet');
    await run('secrets', 'rm', path, '--yes');
    const second = await create();

    // Act
    const code = await run('otp', path, '--quiet');
    const cache = JSON.parse(readFileSync(join(work, 'config', 'secret-ids.json'), 'utf8')) as Record<string, Record<string, string>>;

    // Assess
    expect(second).not.toBe(first);
    expect(code).toMatchObject({ exitCode: 0, out: expect.stringMatching(/^\d{6}\n$/) });
    expect(cache[vault.url]?.[path]).toBe(second);
  });

  it('creates, lists, simulates and deletes a policy; lists templates; says who the caller is', async () => {
    // Prepare
    const file = join(work, 'policy.json');
    writeFileSync(file, JSON.stringify({ name: 'cli ops', effect: 'allow', principals: ['group:ops'], resources: ['/ops/**'], actions: ['otp:generate'] }));

    // Act
    const created = JSON.parse((await run('policies', 'create', '--file', file)).out) as { id: string };
    const listed = await run('policies', 'ls');
    const allowed = await run('policies', 'simulate', '--principal', 'user:olga', '--groups', 'ops', '--action', 'otp:generate', '--path', '/ops/db');
    const denied = await run('policies', 'simulate', '--principal', 'user:olga', '--action', 'otp:generate', '--path', '/ops/db');
    const removed = await run('policies', 'rm', created.id);
    const templates = await run('templates', 'ls');
    const me = await run('me');

    // Assess
    expect(listed.out).toContain(created.id);
    expect(allowed.out).toMatch(/^ALLOWED/);
    expect(denied.out).toMatch(/^DENIED/);
    expect(removed.out).toBe(`deleted ${created.id}\n`);
    expect(templates.out).toMatch(/otp-only/);
    expect(me.out).toMatch(/^user:alice {2}\(groups: admins\)/);
  });

  it('creates, replaces and retires a template from JSON files', async () => {
    // Prepare
    const id = `cli-${Math.random().toString(36).slice(2, 10)}`;
    const first = join(work, 'template.json');
    const second = join(work, 'template-v2.json');
    writeFileSync(first, JSON.stringify({ id, name: 'CLI vendor', fields: [{ name: 'username', type: 'text' }] }));
    writeFileSync(second, JSON.stringify({ name: 'CLI vendor portal', fields: [{ name: 'username', type: 'text', required: true }, { name: 'otpSeed', type: 'otpSeed' }] }));

    // Act
    const created = await run('templates', 'create', '--file', first);
    const stale = await run('templates', 'replace', id, '--file', second, '--version', '2');
    const replaced = await run('templates', 'replace', id, '--file', second, '--version', '1');
    const listed = await run('templates', 'ls');
    const retired = await run('templates', 'retire', id, '--version', '2');
    const after = await run('templates', 'ls');
    const withRetired = await run('templates', 'ls', '--retired');

    // Assess
    expect(created.exitCode).toBe(0);
    expect(stale).toMatchObject({ exitCode: expect.any(Number), message: expect.stringContaining('is at version 1, not 2') });
    expect(stale.exitCode).not.toBe(0);
    expect(JSON.parse(replaced.out)).toMatchObject({ id, name: 'CLI vendor portal', version: 2 });
    expect(listed.out).toMatch(new RegExp(`^${id}\\s+CLI vendor portal\\s+version 2\\s+username, otpSeed$`, 'm'));
    expect(retired.out).toBe(`template ${id} retired\n`);
    expect(after.out).not.toContain(id);
    expect(withRetired.out).toMatch(new RegExp(`^${id}\\s+CLI vendor portal\\s+retired \\d{4}-`, 'm'));
  });

  it('exports the audit log as JSON Lines', async () => {
    // Prepare
    await vault.stack.audit.flush();

    // Act
    const exported = await run('audit', 'export', '--format', 'jsonl', '--actor', 'user:alice');

    // Assess
    const lines = exported.out.trim().split('\n').map((line) => JSON.parse(line) as { actor: { principal: string } });
    expect(lines.length).toBeGreaterThan(0);
    expect(new Set(lines.map((l) => l.actor.principal))).toEqual(new Set(['user:alice']));
  });
});

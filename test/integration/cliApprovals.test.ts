import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure, EXIT } from '../../cli/core/errors';
import { createProgram, type CliOutput } from '../../cli/program';
import { getDeps, overrideDeps } from '../../shared/api/deps';
import { AccessRequestStore } from '../../shared/approvals/AccessRequestStore';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

/**
 * `otpvault request` and `otpvault approvals ...` in-process against the local stack. Each user has
 * a token file (not $OTPVAULT_TOKEN, which is process-wide) so that two users' commands can run at
 * once: bob waits on his request while carol decides it.
 */

let vault: TestVault;
let work: string;
let prefix: string;
const tokenFiles: Record<string, string> = {};
const saved = { token: process.env.OTPVAULT_TOKEN, config: process.env.OTPVAULT_CONFIG_DIR };

async function run(who: string, ...args: string[]): Promise<{ out: string; err: string; exitCode: number; message?: string }> {
  let out = '';
  let err = '';
  const output: CliOutput = { out: (text) => void (out += text), err: (text) => void (err += text) };
  try {
    await createProgram(output).parseAsync(['--endpoint', vault.url, '--token-file', tokenFiles[who] as string, ...args], { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (error) {
    return { out, err, ...describeFailure(error) };
  }
}

/** A new secret under the approval policy's prefix; returns its path. */
async function rootSecret(): Promise<string> {
  const path = `${prefix}/${uniquePath('/root').slice(1).replace(/\//g, '-')}`;
  const res = await vault.call('POST', '/v1/secrets', { token: await vault.token('alice', ['admins']), body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' } } } });
  expect(res.status).toBe(201);
  return path;
}

/** Carol's inbox, polled until the request shows up there (bob's `--wait` made it meanwhile). */
async function carolSees(path: string): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    const inbox = await run('carol', 'approvals', 'ls', '--to-approve', '--json');
    const found = (JSON.parse(inbox.out) as { items: { id: string; path: string }[] }).items.find((r) => r.path === path);
    if (found) return found.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no request for ${path} in carol's inbox`);
}

beforeAll(async () => {
  vault = await startTestVault();
  work = mkdtempSync(join(tmpdir(), 'otpvault-cli-approvals-'));
  process.env.OTPVAULT_CONFIG_DIR = join(work, 'config');
  delete process.env.OTPVAULT_TOKEN;
  for (const [user, groups] of [['bob', ['oncall']], ['carol', []]] as const) {
    tokenFiles[user] = join(work, `${user}.token`);
    writeFileSync(tokenFiles[user], await vault.token(user, [...groups]));
  }
  prefix = uniquePath('/cli-jit');
  const policy = await vault.call('POST', '/v1/policies', {
    token: await vault.token('alice', ['admins']),
    body: {
      name: 'cli: root needs approval',
      effect: 'allow',
      principals: ['group:oncall'],
      resources: [`${prefix}/**`],
      actions: ['otp:generate', 'recovery:reveal'],
      approval: { approvers: ['group:security', 'user:carol'], minApprovals: 1, grantMinutes: 60, justificationRequired: true },
    },
  });
  expect(policy.status).toBe(201);
}, 120_000);

afterAll(async () => {
  if (saved.token === undefined) delete process.env.OTPVAULT_TOKEN;
  else process.env.OTPVAULT_TOKEN = saved.token;
  process.env.OTPVAULT_CONFIG_DIR = saved.config;
  await vault?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('otpvault request and approvals', () => {
  it('bob requests and waits, carol approves from her inbox, then bob gets a code', async () => {
    // Prepare
    const path = await rootSecret();
    const before = await run('bob', 'otp', path, '--quiet');

    // Act
    const waiting = run('bob', 'request', path, '--justification', 'INC-42: rotate keys', '--wait', '--timeout', '60', '--json');
    const id = await carolSees(path);
    const approved = await run('carol', 'approvals', 'approve', id, '--comment', 'go ahead');
    const waited = await waiting;
    const code = await run('bob', 'otp', path);
    const mine = await run('bob', 'approvals', 'ls', '--mine', '--status', 'approved', '--json');

    // Assess
    expect(before.exitCode).toBe(EXIT.denied);
    expect(approved).toMatchObject({ exitCode: 0, out: expect.stringMatching(new RegExp(`^request ${id} approved: otp:generate on ${path} until \\S+\\n$`)) });
    expect(waited.exitCode).toBe(0);
    expect(JSON.parse(waited.out)).toMatchObject({ id, status: 'approved', requester: 'user:bob', approvals: [{ by: 'user:carol', comment: 'go ahead' }] });
    const grantUntil = (JSON.parse(waited.out) as { grantUntil: string }).grantUntil;
    expect(code).toMatchObject({ exitCode: 0, out: expect.stringMatching(new RegExp(`^\\d{6}  \\(valid \\d+ s more; access granted until ${grantUntil}\\)\\n$`)) });
    expect((JSON.parse(mine.out) as { items: { id: string }[] }).items.map((r) => r.id)).toContain(id);
  }, 60_000);

  it('bob reveals a recovery code under his grant: the code alone on stdout, until when the grant holds on stderr', async () => {
    // Prepare: a secret with recovery codes, and bob's request for them approved
    const path = `${prefix}/${uniquePath('/bank').slice(1).replace(/\//g, '-')}`;
    const created = await vault.call('POST', '/v1/secrets', {
      token: await vault.token('alice', ['admins']),
      body: { path, template: 'otp-only', fields: { otpSeed: { setupKey: 'JBSWY3DPEHPK3PXP' }, recoveryCodes: ['1111-2222', '3333-4444'] } },
    });
    expect(created.status).toBe(201);
    const waiting = run('bob', 'request', path, '--justification', 'INC-43: lost phone', '--actions', 'recovery:reveal', '--wait', '--timeout', '60', '--json');
    expect((await run('carol', 'approvals', 'approve', await carolSees(path))).exitCode).toBe(0);
    const grantUntil = (JSON.parse((await waiting).out) as { grantUntil: string }).grantUntil;

    // Act
    const revealed = await run('bob', 'recovery', 'reveal', path);

    // Assess
    expect(revealed).toMatchObject({ exitCode: 0, out: expect.stringMatching(/^(1111-2222|3333-4444)\n$/) });
    expect(revealed.err).toContain(`access granted until ${grantUntil}\n`);
  }, 60_000);

  it('a denied request ends bob\'s wait with exit 4 and leaves him without a code', async () => {
    // Prepare
    const path = await rootSecret();

    // Act
    const waiting = run('bob', 'request', path, '--justification', 'curious', '--wait', '--timeout', '60');
    const id = await carolSees(path);
    const denied = await run('carol', 'approvals', 'deny', id, '--comment', 'not on call this week', '--json');
    const waited = await waiting;
    const code = await run('bob', 'otp', path, '--quiet');

    // Assess
    expect(JSON.parse(denied.out)).toMatchObject({ id, status: 'denied', decidedBy: 'user:carol' });
    expect(waited).toMatchObject({ exitCode: EXIT.denied, message: `request ${id} was denied by user:carol: not on call this week` });
    expect(waited.out).toMatch(new RegExp(`^request ${id} pending: 0 of 1 approval\\(s\\) from group:security, user:carol`));
    expect(code.exitCode).toBe(EXIT.denied);
  }, 60_000);

  it('refuses a self-approval (exit 4), lets bob withdraw, then refuses approving the withdrawn request (exit 6)', async () => {
    // Prepare
    const path = await rootSecret();
    const created = await run('bob', 'request', path, '--justification', 'INC-43', '--json');
    const id = (JSON.parse(created.out) as { id: string }).id;

    // Act
    const self = await run('bob', 'approvals', 'approve', id);
    const withdrawn = await run('bob', 'approvals', 'withdraw', id);
    const late = await run('carol', 'approvals', 'approve', id);

    // Assess
    expect(JSON.parse(created.out)).toMatchObject({ status: 'pending', path, actions: ['otp:generate'] });
    expect(self).toMatchObject({ exitCode: EXIT.denied, message: expect.stringContaining('SelfApprovalRefused') });
    expect(withdrawn).toMatchObject({ exitCode: 0, out: `request ${id} withdrawn\n` });
    expect(late.exitCode).toBe(EXIT.conflict);
  });

  it('gives up waiting after --timeout with exit 9, leaving the request pending', async () => {
    // Prepare
    const path = await rootSecret();

    // Act
    const waited = await run('bob', 'request', path, '--justification', 'INC-44', '--wait', '--timeout', '1', '--json');
    const view = JSON.parse(waited.out) as { id: string; status: string };
    const inbox = await run('carol', 'approvals', 'ls', '--to-approve');

    // Assess
    expect(waited).toMatchObject({ exitCode: EXIT.timedOut, message: expect.stringContaining(`approvals withdraw ${view.id}`) });
    expect(view.status).toBe('pending');
    expect(inbox.out).toMatch(new RegExp(`^${view.id}\\s+pending\\s+user:bob\\s+${path}\\s+otp:generate\\s+0/1`, 'm'));
  });

  it('follows the cursor across short pages, up to --limit', async () => {
    // Prepare: two new requests of bob's; the server reads one request per call, so each page holds one at most
    const requested: string[] = [];
    for (const path of [await rootSecret(), await rootSecret()]) {
      const made = await run('bob', 'request', path, '--justification', 'INC-45', '--json');
      requested.unshift((JSON.parse(made.out) as { id: string }).id);
    }
    const deps = getDeps();
    const restore = overrideDeps({ accessRequestStore: new AccessRequestStore(deps.db, deps.config.tables.vault, deps.config.cursorKey, 1) });
    try {
      // Act
      const firstPage = await vault.call<{ items: unknown[]; nextCursor?: string }>('GET', '/v1/access-requests?mine=true', { token: await vault.token('bob', ['oncall']) });
      const all = await run('bob', 'approvals', 'ls', '--mine', '--json');
      const two = await run('bob', 'approvals', 'ls', '--mine', '--limit', '2', '--json');
      // Assess
      expect(firstPage.body.items.length).toBeLessThanOrEqual(1);
      expect(firstPage.body.nextCursor).toEqual(expect.any(String));
      const ids = (JSON.parse(all.out) as { items: { id: string }[] }).items.map((r) => r.id);
      expect(ids.slice(0, 2)).toEqual(requested);
      expect(new Set(ids).size).toBe(ids.length);
      expect((JSON.parse(two.out) as { items: { id: string }[] }).items.map((r) => r.id)).toEqual(requested);
    } finally {
      restore();
    }
  });

  it('refuses bad input before calling the API', async () => {
    // Act
    const both = await run('carol', 'approvals', 'ls', '--mine', '--to-approve');
    const status = await run('carol', 'approvals', 'ls', '--status', 'granted');
    const noJustification = await run('bob', 'request', `${prefix}/x`);

    // Assess
    expect(both.exitCode).toBe(EXIT.invalid);
    // Commander's usage errors (cli/main.ts exits 2 on them).
    expect(status.message).toContain('unknown status granted; use pending, approved');
    expect(noJustification.message).toContain("required option '--justification <text>' not specified");
  });
});

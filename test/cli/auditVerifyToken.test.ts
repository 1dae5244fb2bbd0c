import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerAuditVerifyCommand } from '../../cli/commands/auditVerify';

// The token must not have to appear on the command line (where `ps` shows it to every user).
const answer = { ok: true, from: '2026-11-01', to: '2026-11-01', checkedDigests: 0, checkedObjects: 0, problems: [] };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otpvault-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], served: object = answer): Promise<{ sent: string[]; printed: string }> {
  const sent: string[] = [];
  let printed = '';
  const fetchImpl = (async (_url: string, init?: RequestInit) => {
    sent.push(String(new Headers(init?.headers).get('authorization')));
    return new Response(JSON.stringify(served), { status: 200 });
  }) as typeof fetch;
  // --token-file is the CLI's global option (cli/program.ts), given before or after the command.
  const program = new Command().exitOverride().option('--token-file <file>');
  registerAuditVerifyCommand(program, { out: (text) => void (printed += text), err: () => undefined }, fetchImpl);
  await program.parseAsync(['audit', 'verify', '--from', '2026-11-01', '--url', 'http://127.0.0.1:1', ...args], { from: 'user' });
  return { sent, printed };
}

describe('otpvault audit verify: where the token comes from', () => {
  it('reads the token from --token-file', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'token-from-file\n', { mode: 0o600 });
    expect((await run(['--token-file', file])).sent).toEqual(['Bearer token-from-file']);
  });

  it('reads the token from OTPVAULT_TOKEN', async () => {
    process.env.OTPVAULT_TOKEN = 'token-from-env';
    try {
      expect((await run([])).sent).toEqual(['Bearer token-from-env']);
    } finally {
      delete process.env.OTPVAULT_TOKEN;
    }
  });
});

describe('otpvault audit verify: objects awaiting their digest', () => {
  it('lists each one, and says so plainly when one is overdue', async () => {
    // Prepare
    process.env.OTPVAULT_TOKEN = 'token-from-env';
    const unsealed = [
      { key: 'events/yyyy=2026/mm=11/dd=01/a.jsonl.gz', announcedAt: '2026-11-01T10:00:00.000Z', overdue: false },
      { key: 'events/yyyy=2026/mm=11/dd=01/b.jsonl.gz', announcedAt: '2026-11-01T09:00:00.000Z', overdue: true },
    ];
    try {
      // Act
      const { printed } = await run([], { ...answer, pendingObjects: 2, unsealed });
      // Assess
      const lines = printed.trimEnd().split('\n');
      expect(lines[0]).toBe('audit archive 2026-11-01: OK (0 digest(s), 0 object(s) checked, 2 awaiting a digest)');
      expect(lines[1]).toMatch(/^ {2}unsealed +events\/yyyy=2026\/mm=11\/dd=01\/a\.jsonl\.gz {2}announced 2026-11-01T10:00:00\.000Z$/);
      expect(lines[2]).toMatch(/^ {2}unsealed! +events\/yyyy=2026\/mm=11\/dd=01\/b\.jsonl\.gz {2}announced .*overdue: is the audit consumer running\?$/);
    } finally {
      delete process.env.OTPVAULT_TOKEN;
    }
  });
});

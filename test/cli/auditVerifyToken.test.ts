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

async function run(args: string[]): Promise<string[]> {
  const sent: string[] = [];
  const fetchImpl = (async (_url: string, init?: RequestInit) => {
    sent.push(String((init?.headers as Record<string, string>).authorization));
    return new Response(JSON.stringify(answer), { status: 200 });
  }) as typeof fetch;
  const program = new Command().exitOverride();
  registerAuditVerifyCommand(program, { out: () => undefined, err: () => undefined }, fetchImpl);
  await program.parseAsync(['audit', 'verify', '--from', '2026-11-01', '--url', 'http://127.0.0.1:1', ...args], { from: 'user' });
  return sent;
}

describe('otpvault audit verify: where the token comes from', () => {
  it('reads the token from --token-file', async () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'token-from-file\n', { mode: 0o600 });
    expect(await run(['--token-file', file])).toEqual(['Bearer token-from-file']);
  });

  it('reads the token from OTPVAULT_TOKEN', async () => {
    process.env.OTPVAULT_TOKEN = 'token-from-env';
    try {
      expect(await run([])).toEqual(['Bearer token-from-env']);
    } finally {
      delete process.env.OTPVAULT_TOKEN;
    }
  });
});

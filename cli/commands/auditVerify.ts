/**
 * `otpvault audit verify`: checks the audit archive through the API (`GET /v1/audit/verify`), so
 * the same command works against the local stack and a deployed one, with the caller's own token
 * and the API's authorization (`audit:read`) and audit trail.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliOutput } from '../program';

/** The local stack's default API address (`npm start`). */
export const DEFAULT_API_URL = 'http://127.0.0.1:8787';
/** Environment variables the command falls back to. */
export const CLI_ENV = { apiUrl: 'OTPVAULT_API_URL', token: 'OTPVAULT_TOKEN' } as const;

/** Exit code when the archive was checked and problems were found (1 means the check itself failed). */
export const PROBLEMS_EXIT_CODE = 2;

interface VerifyOptions {
  from: string;
  to?: string;
  url?: string;
  token?: string;
  tokenFile?: string;
  json?: boolean;
}

interface VerifyAnswer {
  ok: boolean;
  from: string;
  to: string;
  checkedDigests: number;
  checkedObjects: number;
  pendingObjects?: number;
  problems: { kind: string; key: string; detail: string }[];
}

/**
 * Adds `verify` to the `audit` command group (creating the group if no other file has).
 *
 * @param program - The root command.
 * @param output - Where to print.
 * @param fetchImpl - HTTP client (tests may inject one). @default fetch
 * @example
 * registerAuditVerifyCommand(program, processOutput);
 */
export function registerAuditVerifyCommand(program: Command, output: CliOutput, fetchImpl: typeof fetch = fetch): void {
  const audit = program.commands.find((command) => command.name() === 'audit') ?? program.command('audit').description('the audit log and its archive');
  audit
    .command('verify')
    .description(
      'check the audit archive for UTC days: every digest signed by the audit key and chained to the one before, ' +
        'every listed object unchanged, no object outside the digests. Exits 2 when problems are found.',
    )
    .requiredOption('--from <day>', 'first UTC day, YYYY-MM-DD (inclusive)')
    .option('--to <day>', 'last UTC day, YYYY-MM-DD (inclusive; default: --from)')
    .option('--url <url>', `API base URL (default: $${CLI_ENV.apiUrl} or ${DEFAULT_API_URL})`)
    .option('--token-file <path>', `file holding the bearer token (default: $${CLI_ENV.token})`)
    .option('--token <token>', `bearer token with audit:read; visible to other users in ps, prefer $${CLI_ENV.token} or --token-file`)
    .option('--json', 'print the whole answer as JSON')
    .addHelpText(
      'after',
      '\nExample (local stack):\n' +
        '  export OTPVAULT_TOKEN=$(npm run --silent otpvault -- local token --user alice --groups admins)\n' +
        '  npm run --silent otpvault -- audit verify --from 2026-11-01 --to 2026-11-27',
    )
    .action(async (options: VerifyOptions, command: Command) => {
      const token = options.token ?? (options.tokenFile ? readFileSync(options.tokenFile, 'utf8').trim() : process.env[CLI_ENV.token]?.trim());
      if (!token) command.error(`error: a token is needed: $${CLI_ENV.token} or --token-file <path>`);
      const base = (options.url ?? process.env[CLI_ENV.apiUrl]?.trim() ?? DEFAULT_API_URL).replace(/\/+$/, '');
      const query = new URLSearchParams({ from: options.from, ...(options.to && { to: options.to }) });
      const response = await fetchImpl(`${base}/v1/audit/verify?${query}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      if (!response.ok) command.error(`error: the API answered ${response.status}: ${text}`);
      const answer = JSON.parse(text) as VerifyAnswer;
      output.out(options.json ? `${JSON.stringify(answer, null, 2)}\n` : report(answer));
      if (!answer.ok) command.error(`audit archive: ${answer.problems.length} problem(s) found`, { exitCode: PROBLEMS_EXIT_CODE });
    });
}

function report(answer: VerifyAnswer): string {
  const range = answer.from === answer.to ? answer.from : `${answer.from} to ${answer.to}`;
  const counts = `${answer.checkedDigests} digest(s), ${answer.checkedObjects} object(s) checked, ${answer.pendingObjects ?? 0} awaiting a digest`;
  const lines = [`audit archive ${range}: ${answer.ok ? 'OK' : 'PROBLEMS'} (${counts})`];
  for (const problem of answer.problems) lines.push(`  ${problem.kind.padEnd(12)} ${problem.key}  ${problem.detail}`);
  return `${lines.join('\n')}\n`;
}

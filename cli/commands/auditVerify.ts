/**
 * `otpvault audit verify`: checks the audit archive through the API (`GET /v1/audit/verify`), so
 * the same command works against the local stack and a deployed one, with the caller's own token
 * and the API's authorization (`audit:read`) and audit trail.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { bearerAuth, createClient } from '../../shared/client/client';
import { DEFAULT_PROFILE, readProfile } from '../core/config';
import { CliError, EXIT } from '../core/errors';
import { progress } from '../core/output';
import { openSession } from '../core/session';
import type { CliOutput } from '../program';

/** The local stack's default API address (`npm start`). */
export const DEFAULT_API_URL = 'http://127.0.0.1:8787';
/** Environment variables the command falls back to. */
export const CLI_ENV = { apiUrl: 'OTPVAULT_API_URL', token: 'OTPVAULT_TOKEN' } as const;

/** Exit code when the archive was checked and problems were found (the others are the CLI's usual ones, see `core/errors.ts`). */
export const PROBLEMS_EXIT_CODE = 8;

interface VerifyOptions {
  from: string;
  to?: string;
  url?: string;
  token?: string;
  json?: boolean;
  self?: boolean;
  archiveBucket?: string;
  signingKey?: string;
  region?: string;
  s3Endpoint?: string;
  kmsEndpoint?: string;
}

interface VerifyAnswer {
  ok: boolean;
  from: string;
  to: string;
  checkedDigests: number;
  checkedObjects: number;
  pendingObjects?: number;
  /** Objects announced and uploaded whose digest is still to come (overdue: longer than any consumer run). */
  unsealed?: { key: string; announcedAt: string; overdue: boolean }[];
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
        'every listed object unchanged, no object outside the digests. Exits 8 when problems are found.',
    )
    .requiredOption('--from <day>', 'first UTC day, YYYY-MM-DD (inclusive)')
    .option('--to <day>', 'last UTC day, YYYY-MM-DD (inclusive; default: --from)')
    .option('--url <url>', `API base URL, instead of the profile's (default: $${CLI_ENV.apiUrl} or ${DEFAULT_API_URL})`)
    .option('--token <token>', `bearer token with audit:read, instead of the profile's (prefer $${CLI_ENV.token}: a token on the command line shows in ps)`)
    .option('--json', 'print the whole answer as JSON')
    .option('--self', 'check the archive yourself with your AWS read access (S3 and the signing key\'s public half), not through the API')
    .option('--archive-bucket <bucket>', 'with --self: the archive bucket (default: the profile\'s, from configure --stack)')
    .option('--signing-key <arn>', 'with --self: the digest-signing key (default: the profile\'s)')
    .option('--region <region>', 'with --self: AWS region (default: the profile\'s or $AWS_REGION)')
    .option('--s3-endpoint <url>', 'with --self: an S3-compatible endpoint (the local runner\'s)')
    .option('--kms-endpoint <url>', 'with --self: a KMS endpoint (the local runner\'s emulator)')
    .addHelpText(
      'after',
      '\nExample (local stack):\n' +
        '  export OTPVAULT_TOKEN=$(npm run --silent otpvault -- local token --user alice --groups admins)\n' +
        '  npm run --silent otpvault -- audit verify --from 2026-11-01 --to 2026-11-27',
    )
    .action(async (options: VerifyOptions, command: Command) => {
      const shown = progress();
      shown.update(`verifying the audit archive ${options.from}${options.to ? ` to ${options.to}` : ''} ...`);
      const answer = await verification(options, command, fetchImpl).finally(() => shown.done());
      output.out(options.json ? `${JSON.stringify(answer, null, 2)}\n` : report(answer));
      if (!answer.ok) command.error(`audit archive: ${answer.problems.length} problem(s) found`, { exitCode: PROBLEMS_EXIT_CODE });
    });
}

/** The archive checked by the CLI itself (`--self`), or by the API with the given or the profile's credentials. */
async function verification(options: VerifyOptions, command: Command, fetchImpl: typeof fetch): Promise<VerifyAnswer> {
  if (options.self) return verifySelf(options, command);
  const query = { from: options.from, ...(options.to && { to: options.to }) };
  if (options.url !== undefined || options.token !== undefined) {
    const { tokenFile } = command.optsWithGlobals() as { tokenFile?: string };
    const token = options.token ?? (tokenFile ? readFileSync(tokenFile, 'utf8').trim() : process.env[CLI_ENV.token]?.trim());
    if (!token) command.error(`error: a token is needed: $${CLI_ENV.token} or --token-file <path>`);
    const base = (options.url ?? process.env[CLI_ENV.apiUrl]?.trim() ?? DEFAULT_API_URL).replace(/\/+$/, '');
    return createClient({ baseUrl: base, authenticate: bearerAuth(token), fetch: fetchImpl }).call('verifyAudit', { query });
  }
  // The profile's API and credentials (token or SigV4), like every other command.
  const { client } = await openSession(command.optsWithGlobals());
  return client.call('verifyAudit', { query });
}

async function verifySelf(options: VerifyOptions, command: Command): Promise<VerifyAnswer> {
  const globals = command.optsWithGlobals() as { profile?: string };
  const profile = await readProfile(globals.profile ?? process.env.OTPVAULT_PROFILE ?? DEFAULT_PROFILE);
  const bucket = options.archiveBucket ?? profile?.archiveBucket;
  const signingKey = options.signingKey ?? profile?.auditSigningKeyArn;
  const region = options.region ?? profile?.region ?? process.env.AWS_REGION;
  if (!bucket || !signingKey || !region) {
    throw new CliError('--self needs the archive bucket, the signing key and a region: configure --stack, or give --archive-bucket, --signing-key and --region', EXIT.invalid);
  }
  const { verifyArchiveYourself } = await import('../core/archiveCheck');
  return verifyArchiveYourself({
    from: options.from,
    to: options.to,
    bucket,
    signingKey,
    region,
    s3Endpoint: options.s3Endpoint,
    kmsEndpoint: options.kmsEndpoint,
    awsProfile: profile?.awsProfile,
  });
}

function report(answer: VerifyAnswer): string {
  const range = answer.from === answer.to ? answer.from : `${answer.from} to ${answer.to}`;
  const counts = `${answer.checkedDigests} digest(s), ${answer.checkedObjects} object(s) checked, ${answer.pendingObjects ?? 0} awaiting a digest`;
  const lines = [`audit archive ${range}: ${answer.ok ? 'OK' : 'PROBLEMS'} (${counts})`];
  for (const problem of answer.problems) lines.push(`  ${problem.kind.padEnd(12)} ${problem.key}  ${problem.detail}`);
  // Not a problem (the next batch seals them), unless overdue: then the consumer is stuck, worth a look.
  for (const object of answer.unsealed ?? []) lines.push(`  ${(object.overdue ? 'unsealed!' : 'unsealed').padEnd(12)} ${object.key}  announced ${object.announcedAt}${object.overdue ? ', overdue: is the audit consumer running?' : ''}`);
  return `${lines.join('\n')}\n`;
}

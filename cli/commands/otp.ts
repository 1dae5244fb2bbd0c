/**
 * `otpvault otp <path|id>` and `otp --all <prefix>`: current codes, the way scripts want them
 * (`$(otpvault otp /aws/root --quiet)`); `otpvault recovery reveal <path|id>`.
 */
import type { Command } from 'commander';
import type { OtpAnswer } from '../../shared/secrets/OtpCodes';
import { CliError, EXIT } from '../core/errors';
import { wholeNumber } from '../core/input';
import { printJson, progress, table } from '../core/output';
import { withSecretId } from '../core/secretRef';
import { openSession } from '../core/session';
import type { CliOutput } from '../program';

interface OtpOptions {
  all?: string;
  minValid?: number;
  quiet?: boolean;
  json?: boolean;
}

export function registerOtpCommands(program: Command, output: CliOutput): void {
  program
    .command('otp')
    .description('print the current one-time code of a secret (by path or id), or with --all of every secret under a prefix you may use')
    .argument('[secret]', 'secret path (/aws/prod/root) or id')
    .option('--all <prefix>', 'every secret under this path prefix, in one request')
    .option('--min-valid <seconds>', 'if fewer seconds remain, wait for the next code (at most 25)', wholeNumber)
    .option('-q, --quiet', 'print only the code (with --all: code and path per line)')
    .option('--json', 'print the whole answer as JSON')
    .addHelpText('after', '\nExamples:\n  code=$(otpvault otp /aws/prod/root --quiet)\n  otpvault otp --all /aws/ --min-valid 5')
    .action(async (secret: string | undefined, options: OtpOptions, command: Command) => {
      if ((secret === undefined) === (options.all === undefined)) throw new CliError('name a secret, or give --all <prefix>', EXIT.invalid);
      const { client, baseUrl } = await openSession(command.optsWithGlobals());
      const body = options.minValid !== undefined ? { minValidSeconds: options.minValid } : {};
      if (options.all !== undefined) {
        const shown = progress();
        shown.update(`generating codes under ${options.all} ...`);
        const { items } = await client.call('generateOtps', { body: { prefix: options.all, ...body } }).finally(() => shown.done());
        if (options.json) return printJson(output, { items });
        if (options.quiet) return output.out(items.map((i) => ('otp' in i ? `${i.otp.code} ${i.path}\n` : '')).join(''));
        return output.out(table(['PATH', 'CODE', 'VALID'], items.map((i) => [i.path, 'otp' in i ? i.otp.code : '-', 'otp' in i ? validity(i.otp) : i.error.message])));
      }
      const otp = await withSecretId(client, baseUrl, secret as string, (secretId) => client.call('generateOtp', { params: { secretId }, body }));
      if (options.json) return printJson(output, otp);
      output.out(options.quiet ? `${otp.code}\n` : `${otp.code}  (${validity(otp)}${otp.grant ? `; access granted until ${otp.grant.until}` : ''})\n`);
    });

  const recovery = program.command('recovery').description('recovery (backup) codes');
  recovery
    .command('reveal')
    .description('hand out the next unused recovery code of a secret and mark it used (audited)')
    .argument('<secret>', 'secret path or id')
    .option('--json', 'print the answer as JSON (code and how many remain)')
    .action(async (secret: string, options: { json?: boolean }, command: Command) => {
      const { client, baseUrl } = await openSession(command.optsWithGlobals());
      const answer = await withSecretId(client, baseUrl, secret, (secretId) => client.call('revealRecoveryCode', { params: { secretId } }));
      if (options.json) return printJson(output, answer);
      output.out(`${answer.code}\n`);
      // Beside the code, never in it: `code=$(otpvault recovery reveal …)` keeps working.
      if (answer.grant) output.err(`access granted until ${answer.grant.until}\n`);
      if (process.stderr.isTTY) output.err(`${answer.remaining} unused recovery code(s) left\n`);
    });
}

function validity(otp: OtpAnswer): string {
  return otp.type === 'hotp' ? `HOTP counter ${otp.counter}` : `valid ${otp.secondsRemaining} s more`;
}

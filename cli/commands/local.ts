/**
 * `otpvault local ...`: commands for the local stack that `npm start` runs.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { defaultDataDir } from '../../local/dataDir';
import { openLocalIssuer, type TokenRequest } from '../../local/issuer';
import { issueLoginLink } from '../../local/loginTickets';
import type { CliOutput } from '../program';

interface TokenOptions {
  user?: string;
  service?: string;
  groups?: string[];
  ttl?: number;
  dataDir?: string;
}

/**
 * Adds the `local` command group to the program (created with `.command()`, so it inherits the
 * program's output and exit settings).
 *
 * @param program - The root command.
 * @param output - Where to print.
 * @example
 * registerLocalCommands(program, processOutput);
 */
export function registerLocalCommands(program: Command, output: CliOutput): void {
  const local = program.command('local').description('work with the local stack (`npm start`)');
  local
    .command('token')
    .description(
      'print an access token from the local issuer, for `Authorization: Bearer <token>`. ' +
        'Signs with the key in the data directory, so `npm start` must have run once.',
    )
    .addOption(new Option('--user <name>', 'the token is for this user').conflicts('service'))
    .addOption(new Option('--service <name>', 'the token is for this service (machine caller)'))
    .option('--groups <g1,g2>', 'Cognito groups of the principal, comma-separated', splitList)
    .option('--ttl <seconds>', 'lifetime in seconds, 1 to 86400 (default 3600)', wholeNumber)
    .option('--data-dir <dir>', 'the local stack\'s data directory (default: $OTPVAULT_DATA_DIR or .otpvault/)')
    .addHelpText('after', '\nExample:\n  TOKEN=$(npm run --silent otpvault -- local token --user alice --groups admins)')
    .action(async (options: TokenOptions, command: Command) => {
      if ((options.user === undefined) === (options.service === undefined)) {
        command.error('error: name exactly one principal: --user <name> or --service <name>');
      }
      const principal = options.user !== undefined ? { user: options.user } : { service: options.service as string };
      const request: TokenRequest = { ...principal, groups: options.groups, ttlSeconds: options.ttl };
      const issuer = await openLocalIssuer(options.dataDir ?? defaultDataDir());
      output.out(`${await issuer.signToken(request)}\n`);
    });
  local
    .command('login-url')
    .description(
      'print a one-time sign-in link to the web console of the local stack. ' +
        'The link works once (it is exchanged for a session token), so print one per person and browser.',
    )
    .requiredOption('--user <name>', 'the user who signs in')
    .option('--groups <g1,g2>', 'Cognito groups of the user, comma-separated', splitList)
    .option('--ttl <seconds>', 'how long the link stays usable, 1 to 86400 (default 3600)', wholeNumber)
    .option('--url <base>', 'the local stack\'s URL (default http://127.0.0.1:$PORT, PORT defaulting to 8787)')
    .option('--data-dir <dir>', 'the local stack\'s data directory (default: $OTPVAULT_DATA_DIR or .otpvault/)')
    .addHelpText('after', '\nExample:\n  npm run --silent otpvault -- local login-url --user bob --groups ops')
    .action(async (options: { user: string; groups?: string[]; ttl?: number; url?: string; dataDir?: string }) => {
      const dataDir = options.dataDir ?? defaultDataDir();
      // Like `local token`: only a data directory `npm start` has set up holds the issuer.
      await openLocalIssuer(dataDir);
      const base = options.url ?? `http://127.0.0.1:${process.env.PORT?.trim() || '8787'}`;
      output.out(`${await issueLoginLink(dataDir, base, { user: options.user, groups: options.groups, ttlSeconds: options.ttl })}\n`);
    });
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function wholeNumber(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) throw new InvalidArgumentError('expected a whole number of seconds');
  return number;
}

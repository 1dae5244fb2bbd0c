/**
 * `otpvault local ...`: commands for the local stack that `npm start` runs.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import type { LocalRoleCredentials } from '../../local/iam/credentials';
import type { TokenRequest } from '../../local/issuer';
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
      // Imported here: the rest of the CLI does not pay for the local stack's modules.
      const [{ defaultDataDir }, { openLocalIssuer }] = await Promise.all([import('../../local/dataDir'), import('../../local/issuer')]);
      const issuer = await openLocalIssuer(options.dataDir ?? defaultDataDir());
      output.out(`${await issuer.signToken(request)}\n`);
    });
  const users = local.command('users').description('the local user registry: the accounts (subs) behind usernames, as Cognito keeps them');
  users
    .command('recreate')
    .argument('<name>', 'the username')
    .description(
      'give a username a new account (a new sub), as deleting and re-creating the user in Cognito would: ' +
        'its new tokens match no policy or approval saved for the old account until that is saved again.',
    )
    .option('--data-dir <dir>', 'the local stack\'s data directory (default: $OTPVAULT_DATA_DIR or .otpvault/)')
    .addHelpText('after', '\nExample:\n  npm run --silent otpvault -- local users recreate alice')
    .action(async (name: string, options: { dataDir?: string }, command: Command) => {
      const [{ defaultDataDir }, { openLocalIssuer }] = await Promise.all([import('../../local/dataDir'), import('../../local/issuer')]);
      const issuer = await openLocalIssuer(options.dataDir ?? defaultDataDir());
      if (!/^[A-Za-z0-9._@-]{1,128}$/.test(name)) command.error(`error: "${name}" is not a username (1 to 128 of A-Z a-z 0-9 . _ @ -)`, { exitCode: 2 });
      const sub = await issuer.users.recreate(name);
      output.out(`user ${name} re-created: new sub ${sub}\n`);
    });
  local
    .command('credentials')
    .description(
      'print shell exports of a local IAM role\'s credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION) ' +
        'for signing requests to the local IAM API with SigV4; the role is created on first use and calls as ' +
        'role:arn:aws:iam::000000000000:role/<name>. Kept in <data-dir>/iam-credentials.json (mode 0600).',
    )
    .option('--role <name>', 'the local IAM role', 'ci')
    .option('--data-dir <dir>', 'the local stack\'s data directory (default: $OTPVAULT_DATA_DIR or .otpvault/)')
    .option('--json', 'print the credentials as JSON')
    .addHelpText('after', '\nExample:\n  eval "$(npm run --silent otpvault -- local credentials --role ci)"')
    .action(async (options: { role: string; dataDir?: string; json?: boolean }, command: Command) => {
      const [{ defaultDataDir }, { ensureLocalRole, InvalidRoleNameError, LOCAL_IAM_REGION }, { LOCAL_ACCOUNT_ID }] = await Promise.all([
        import('../../local/dataDir'),
        import('../../local/iam/credentials'),
        import('../../local/apiEvent'),
      ]);
      const dataDir = options.dataDir ?? defaultDataDir();
      if (!existsSync(dataDir)) command.error(`error: ${dataDir} does not exist: run npm start once first`);
      let credentials: LocalRoleCredentials;
      try {
        credentials = await ensureLocalRole(dataDir, options.role);
      } catch (error) {
        if (error instanceof InvalidRoleNameError) command.error(`error: ${error.message}`, { exitCode: 2 });
        throw error;
      }
      const values = {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken,
        AWS_REGION: LOCAL_IAM_REGION,
      };
      output.out(
        options.json
          ? `${JSON.stringify({ role: credentials.role, principal: `role:arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${credentials.role}`, ...values }, null, 2)}\n`
          : Object.entries(values)
              .map(([name, value]) => `export ${name}='${value}'\n`)
              .join(''),
      );
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
      const [{ defaultDataDir }, { openLocalIssuer }, { issueLoginLink }] = await Promise.all([
        import('../../local/dataDir'),
        import('../../local/issuer'),
        import('../../local/loginTickets'),
      ]);
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

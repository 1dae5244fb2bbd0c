/** `otpvault configure` (where and how to call) and `otpvault login|logout` (Cognito sign-in, the stored tokens). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PROFILE, LOCAL_API_URL, readProfile, saveProfile, saveStoredToken, type Profile, type StoredToken } from '../core/config';
import { CliError, EXIT } from '../core/errors';
import { fileOrStdin, lineFromTerminal, secretFromTerminal, valueOrStdin } from '../core/input';
import { printJson } from '../core/output';
import type { CliOutput } from '../program';

interface ConfigureOptions {
  stack?: string;
  region?: string;
  local?: boolean;
  dataDir?: string;
  iam?: boolean;
  role?: string;
  awsProfile?: string;
  json?: boolean;
}

/** The local IAM API's port when `npm start` runs with its defaults. */
const LOCAL_IAM_API_URL = 'http://127.0.0.1:8788';

export function registerConfigureCommands(program: Command, output: CliOutput): void {
  program
    .command('configure')
    .description('save a profile: where the API is (a deployed stack, or the local runner) and whether to sign with SigV4 (--iam) or send a token')
    .option('--stack <name>', 'read ApiUrl, IamApiUrl, Region and the Cognito ids from this CloudFormation stack (DescribeStacks)')
    .option('--region <region>', 'AWS region of the stack (default: $AWS_REGION)')
    .option('--local', 'the local runner (npm start): http://127.0.0.1:8787, IAM API on 8788')
    .option('--data-dir <dir>', 'with --local: the local data directory (default: $OTPVAULT_DATA_DIR or .otpvault/)')
    .option('--iam', 'sign requests with SigV4 (AWS credential chain; locally, a local role) instead of sending a token')
    .option('--role <name>', 'with --local --iam: the local role (default ci)')
    .option('--aws-profile <name>', 'with --iam: the AWS profile of the credential chain')
    .option('--json', 'print the saved profile as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  otpvault configure --stack OtpVault --region eu-west-1 --iam\n  otpvault configure --local\n  otpvault --profile ci configure --local --iam --role ci\n' +
        '\n--endpoint (a global option) overrides the saved URL for one command; --profile picks the profile to save or use.',
    )
    .action(async (options: ConfigureOptions, command: Command) => {
      const globals = command.optsWithGlobals() as { profile?: string; endpoint?: string };
      const name = globals.profile ?? process.env.OTPVAULT_PROFILE ?? DEFAULT_PROFILE;
      if (options.stack !== undefined && options.local) throw new CliError('give --stack or --local, not both', EXIT.invalid);
      const auth: Profile['auth'] = options.iam ? 'iam' : 'token';
      let profile: Profile;
      if (options.stack !== undefined) {
        profile = { ...(await fromStack(options.stack, options.region)), auth, ...(options.awsProfile ? { awsProfile: options.awsProfile } : {}) };
      } else if (options.local) {
        const { defaultDataDir } = await import('../../local/dataDir');
        profile = {
          apiUrl: LOCAL_API_URL,
          iamApiUrl: LOCAL_IAM_API_URL,
          auth,
          dataDir: options.dataDir ? resolve(options.dataDir) : defaultDataDir(),
          ...(options.iam ? { role: options.role ?? 'ci' } : {}),
        };
      } else {
        const existing = await readProfile(name);
        if (!existing && !globals.endpoint) throw new CliError('say where the API is: --stack <name>, --local or --endpoint <url>', EXIT.invalid);
        profile = { ...(existing ?? { apiUrl: globals.endpoint as string }), auth, ...(options.region ? { region: options.region } : {}) };
      }
      if (globals.endpoint) profile = auth === 'iam' ? { ...profile, iamApiUrl: globals.endpoint } : { ...profile, apiUrl: globals.endpoint };
      await saveProfile(name, profile);
      if (options.json) return printJson(output, { profile: name, ...profile });
      output.out(`profile ${name}: ${auth === 'iam' ? `${profile.iamApiUrl ?? profile.apiUrl} (SigV4)` : `${profile.apiUrl} (token)`}\n`);
    });

  program
    .command('login')
    .description('sign in to Cognito (USER_PASSWORD_AUTH) and store the tokens for the profile (mode 0600); or store a given access token')
    .option('--username <name>', 'the Cognito user name (asked on the terminal when missing)')
    .option('--password-stdin', 'read the password from stdin (else it is asked on the terminal, without echo)')
    .option('--mfa-code <code>', 'the current code of your authenticator app, when the user pool asks for one (else asked on a terminal)')
    .option('--token-stdin', 'instead of signing in: read an access token from stdin')
    .option('--from-file <file>', 'instead of signing in: read an access token from a file')
    .option('--json', 'print {"profile","expiresAt"}')
    .addHelpText(
      'after',
      '\nSigns in with USER_PASSWORD_AUTH against the app client of the profile (configure --stack saves its id and region);' +
        '\nthe password never appears on a command line. The access token is refreshed silently (REFRESH_TOKEN_AUTH) when it' +
        '\nexpires. A TOTP MFA challenge is answered with --mfa-code (or asked on a terminal). SRP sign-in, a new password and' +
        '\nother challenges are not supported: those end with exit 3 and a message.' +
        '\n$OTPVAULT_COGNITO_ENDPOINT replaces https://cognito-idp.<region>.amazonaws.com/.' +
        '\n\nExamples:\n  otpvault login --username alice\n  printf %s "$PASSWORD" | otpvault login --username alice --password-stdin' +
        '\n  npm run --silent otpvault -- local token --user alice --groups admins | otpvault login --token-stdin   (local stack)',
    )
    .action(async (options: { username?: string; passwordStdin?: boolean; mfaCode?: string; tokenStdin?: boolean; fromFile?: string; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals() as { profile?: string };
      const name = globals.profile ?? process.env.OTPVAULT_PROFILE ?? DEFAULT_PROFILE;
      let stored: StoredToken;
      if (options.tokenStdin || options.fromFile) {
        if (options.username !== undefined || options.passwordStdin) throw new CliError('give a token (--token-stdin, --from-file) or a user (--username), not both', EXIT.invalid);
        const token = (options.fromFile ? await fileOrStdin(options.fromFile) : await valueOrStdin('-')).trim();
        if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new CliError('that is not a JWT access token', EXIT.invalid);
        const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as { exp?: number };
        const expiresAt = claims.exp ? new Date(claims.exp * 1000).toISOString() : undefined;
        stored = { accessToken: token, ...(expiresAt ? { expiresAt } : {}) };
      } else {
        const profile = await readProfile(name);
        const clientId = profile?.userPoolClientId;
        const region = profile?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
        if (!clientId || !region) {
          throw new CliError(`profile ${name} has no Cognito ${clientId ? 'region' : 'app client id'}: run otpvault configure --stack <name> first (or pass a token with --token-stdin)`, EXIT.invalid);
        }
        const username = options.username ?? (await lineFromTerminal('Username: '));
        if (!username) throw new CliError('no user name', EXIT.invalid);
        const password = options.passwordStdin ? await passwordFromStdin() : await secretFromTerminal(`Password for ${username}: `);
        if (!password) throw new CliError('no password', EXIT.invalid);
        const { passwordSignIn } = await import('../core/cognito');
        // Stdin holds the password with --password-stdin: the code is asked only on a terminal otherwise.
        const mfaCode = async () => options.mfaCode ?? (process.stdin.isTTY && !options.passwordStdin ? lineFromTerminal('Authenticator code: ') : undefined);
        stored = { ...(await passwordSignIn({ region, clientId }, username, password, mfaCode)), cognito: { region, clientId } };
      }
      await saveStoredToken(name, stored);
      const expiresAt = stored.expiresAt;
      if (options.json) return printJson(output, { profile: name, expiresAt: expiresAt ?? null });
      output.out(`${stored.cognito ? 'signed in' : 'token stored'} for profile ${name}${expiresAt ? ` (expires ${expiresAt})` : ''}\n`);
    });

  program
    .command('logout')
    .description('forget the stored tokens of the profile (access, id and refresh tokens)')
    .option('--json', 'print {"profile"}')
    .action(async (options: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals() as { profile?: string };
      const name = globals.profile ?? process.env.OTPVAULT_PROFILE ?? DEFAULT_PROFILE;
      await saveStoredToken(name, undefined);
      if (options.json) return printJson(output, { profile: name });
      output.out(`tokens of profile ${name} removed\n`);
    });
}

/** The profile a deployed stack's outputs describe. */
async function fromStack(stackName: string, region: string | undefined): Promise<Omit<Profile, 'auth'>> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient(region ? { region } : {});
  let outputs: Record<string, string>;
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = answer.Stacks?.[0];
    if (!stack) throw new CliError(`no stack ${stackName}`, EXIT.notFound);
    outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    if (error instanceof CliError) throw error;
    const name = error instanceof Error ? error.name : '';
    if (name === 'ValidationError') throw new CliError(`no stack ${stackName}${region ? ` in ${region}` : ''}`, EXIT.notFound);
    if (/Credentials|ExpiredToken|UnrecognizedClient|InvalidClientTokenId/.test(name) || /credential/i.test(String(error))) {
      throw new CliError(`cannot read the stack: ${error instanceof Error ? error.message : String(error)}`, EXIT.unauthenticated);
    }
    throw new CliError(`cannot read the stack: ${error instanceof Error ? error.message : String(error)}`, EXIT.unavailable);
  } finally {
    client.destroy();
  }
  const apiUrl = outputs.ApiUrl;
  if (!apiUrl) throw new CliError(`stack ${stackName} has no ApiUrl output: is it an otpvault stack?`, EXIT.invalid);
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    ...(outputs.IamApiUrl ? { iamApiUrl: outputs.IamApiUrl.replace(/\/+$/, '') } : {}),
    ...(outputs.Region || region ? { region: outputs.Region || region } : {}),
    stack: stackName,
    ...(outputs.UserPoolId ? { userPoolId: outputs.UserPoolId } : {}),
    ...(outputs.UserPoolClientId ? { userPoolClientId: outputs.UserPoolClientId } : {}),
    ...(outputs.ArchiveBucketName ? { archiveBucket: outputs.ArchiveBucketName } : {}),
    ...(outputs.AuditSigningKeyArn ? { auditSigningKeyArn: outputs.AuditSigningKeyArn } : {}),
  };
}

/** The password piped on stdin: one trailing newline dropped, nothing else (spaces may belong to it). */
async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

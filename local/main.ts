/**
 * `npm start`: runs the local stack until Ctrl-C.
 *
 * Environment: `PORT` (default 8787), `IAM_PORT` (the SigV4 API; default PORT + 1, or a free port when PORT is 0),
 * `OTPVAULT_DATA_DIR` (default `.otpvault/` in the repository).
 * A bad PORT or a failed start prints one message and exits with status 1.
 */
import { join } from 'node:path';
import { defaultDataDir, REPO_ROOT } from './dataDir';
import { startLocalStack, type LocalStack } from './stack';
import { issueLoginLink } from './loginTickets';

const DEFAULT_PORT = 8787;

/** An environment variable with a value we cannot use. */
class InvalidSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSettingError';
  }
}

function portFromEnv(value: string | undefined, fallback = DEFAULT_PORT, name = 'PORT'): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value.trim());
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidSettingError(`${name} must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

/** The local admin `npm start` prints a sign-in link for. */
const LOCAL_ADMIN = { user: 'admin', groups: ['admins'] } as const;
/** Long enough to open it after a coffee; it still works only once. */
const START_LINK_TTL_SECONDS = 12 * 3600;

function banner(stack: LocalStack, loginLink: string): string {
  const dataDirArgument = stack.dataDir === join(REPO_ROOT, '.otpvault') ? '' : ` --data-dir ${JSON.stringify(stack.dataDir)}`;
  return [
    `otpvault local stack is up (started in ${(stack.startupMs.total / 1000).toFixed(1)} s)`,
    '',
    `  API        ${stack.url}`,
    `  IAM API    ${stack.iamUrl}  (same routes, SigV4-signed by a local role)`,
    `  Data       ${stack.dataDir}  (tables, KMS keys, token issuer; delete it to start over)`,
    `  DynamoDB   ${stack.dynamoDbEndpoint}`,
    `  KMS        ${stack.kmsEndpoint}`,
    `  S3         ${stack.s3Endpoint}  (audit archive bucket otpvault-audit-archive; the outbox stream is consumed in the background)`,
    `  JWKS       ${stack.url}/.well-known/jwks.json`,
    '',
    `Web console: open this one-time sign-in link (user ${LOCAL_ADMIN.user}, group ${LOCAL_ADMIN.groups.join(',')}; it works once):`,
    `  ${loginLink}`,
    'A link for someone else:',
    `  npm run --silent otpvault -- local login-url --user bob --groups ops${stack.url.endsWith(`:${DEFAULT_PORT}`) ? '' : ` --url ${stack.url}`}${dataDirArgument}`,
    '',
    'Get a token (in another terminal):',
    `  TOKEN=$(npm run --silent otpvault -- local token --user alice --groups admins${dataDirArgument})`,
    'Call the API:',
    `  curl -s ${stack.url}/health`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${stack.url}/v1/templates`,
    'Sign with SigV4 as local role ci (roles are created on first use; `local credentials` prints AWS_* exports for other tools):',
    `  npm run --silent otpvault -- --profile ci configure --local --iam${dataDirArgument} && npm run --silent otpvault -- --profile ci me`,
    '',
    'Ctrl-C stops everything. Requests are logged below.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const port = portFromEnv(process.env.PORT);
  const iamPort = portFromEnv(process.env.IAM_PORT, port === 0 ? 0 : port + 1, 'IAM_PORT');
  const dataDir = defaultDataDir();
  console.log(`Starting DynamoDB Local, the KMS emulator and the API (data in ${dataDir}) ...`);
  const stack = await startLocalStack({ dataDir, port, iamPort, streamPoller: 'worker' });
  const loginLink = await issueLoginLink(stack.dataDir, stack.url, { ...LOCAL_ADMIN, ttlSeconds: START_LINK_TTL_SECONDS });
  console.log(banner(stack, loginLink));

  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // Ctrl-C reaches us twice at once (from the terminal and relayed by tsx): only a later,
      // deliberate second Ctrl-C means "do not wait".
      if (Date.now() - stoppingSince < 1_000) return;
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(130);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping ...`);
    stack.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // Our errors say what to do; anything else gets its stack.
  const known = error instanceof Error && /^(InvalidSetting|JavaNotFound|DynamoDbLocalStart|PortInUse|DataDirInUse|TableMismatch)Error$/.test(error.name);
  const text = error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error);
  console.error(`otpvault local: ${text}`);
  process.exit(1);
});

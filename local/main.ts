/**
 * `npm start`: runs the local stack until Ctrl-C.
 *
 * Environment: `PORT` (default 8787), `OTPVAULT_DATA_DIR` (default `.otpvault/` in the repository).
 * A bad PORT or a failed start prints one message and exits with status 1.
 */
import { join } from 'node:path';
import { defaultDataDir, REPO_ROOT } from './dataDir';
import { startLocalStack, type LocalStack } from './stack';

const DEFAULT_PORT = 8787;

/** An environment variable with a value we cannot use. */
class InvalidSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSettingError';
  }
}

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value.trim());
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidSettingError(`PORT must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function banner(stack: LocalStack): string {
  const dataDirArgument = stack.dataDir === join(REPO_ROOT, '.otpvault') ? '' : ` --data-dir ${JSON.stringify(stack.dataDir)}`;
  return [
    `otpvault local stack is up (started in ${(stack.startupMs.total / 1000).toFixed(1)} s)`,
    '',
    `  API        ${stack.url}`,
    `  Data       ${stack.dataDir}  (tables, KMS keys, token issuer; delete it to start over)`,
    `  DynamoDB   ${stack.dynamoDbEndpoint}`,
    `  KMS        ${stack.kmsEndpoint}`,
    `  S3         ${stack.s3Endpoint}  (audit archive bucket otpvault-audit-archive; the outbox stream is consumed in the background)`,
    `  JWKS       ${stack.url}/.well-known/jwks.json`,
    '',
    'Get a token (in another terminal):',
    `  TOKEN=$(npm run --silent otpvault -- local token --user alice --groups admins${dataDirArgument})`,
    'Call the API:',
    `  curl -s ${stack.url}/health`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${stack.url}/v1/templates`,
    '',
    'Ctrl-C stops everything. Requests are logged below.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const port = portFromEnv(process.env.PORT);
  const dataDir = defaultDataDir();
  console.log(`Starting DynamoDB Local, the KMS emulator and the API (data in ${dataDir}) ...`);
  const stack = await startLocalStack({ dataDir, port, streamPoller: 'worker' });
  console.log(banner(stack));

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

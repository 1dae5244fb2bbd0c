/**
 * `npm start`: runs the local stack until Ctrl-C.
 *
 * Environment: `PORT` (default 8787), `OTPVAULT_DATA_DIR` (default `.otpvault/` in the repository).
 */
import { join } from 'node:path';
import { DATA_DIR_ENV, defaultDataDir, REPO_ROOT } from './dataDir';
import { startLocalStack, type LocalStack } from './stack';

const DEFAULT_PORT = 8787;

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value.trim());
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${value}"`);
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
  const stack = await startLocalStack({ dataDir, port });
  console.log(banner(stack));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting.`);
      process.exit(130);
    }
    stopping = true;
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
  const message = error instanceof Error ? error.message : String(error);
  console.error(`otpvault local: ${message}`);
  if (!(error instanceof Error) || !/^(JavaNotFound|PortInUse|DataDirInUse)/.test(error.name)) {
    console.error(`(data directory: ${defaultDataDir()}; set ${DATA_DIR_ENV} to use another)`);
  }
  process.exit(1);
});

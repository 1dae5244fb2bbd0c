// Jest's global setup: one DynamoDB Local for the whole run (test/helpers/sharedDynamoDb.ts says why
// and how files share it). Plain JavaScript, as jest loads it outside its transform; the TypeScript
// it uses is loaded through tsx, like the stream poller's worker.
import { tsImport } from 'tsx/esm/api';

/** Holds the instance for the global teardown (same process). */
export const RUN_DYNAMODB = Symbol.for('otpvault.runDynamoDb');

export default async function globalSetup() {
  const { SHARED_DYNAMODB_ENV, startRunDynamoDb } = await tsImport('../helpers/sharedDynamoDb.ts', import.meta.url);
  // An outer run already shares one (its teardown stops it).
  if (process.env[SHARED_DYNAMODB_ENV]) return;
  const dynamo = await startRunDynamoDb();
  globalThis[RUN_DYNAMODB] = { dynamo, env: SHARED_DYNAMODB_ENV };
  // Set before jest starts its workers, so every worker inherits it.
  process.env[SHARED_DYNAMODB_ENV] = dynamo.endpoint;
}

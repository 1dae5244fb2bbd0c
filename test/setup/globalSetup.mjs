// Jest's global setup: one DynamoDB Local and one host of local S3 servers for the whole run
// (test/helpers/sharedDynamoDb.ts and sharedS3Host.ts say why and how files share them). Plain
// JavaScript, as jest loads it outside its transform; the TypeScript it uses is loaded through tsx,
// like the stream poller's worker.
import { tsImport } from 'tsx/esm/api';

/** Holds what the setup started, for the global teardown (same process). */
export const RUN_SERVICES = Symbol.for('otpvault.runServices');

export default async function globalSetup() {
  const { SHARED_DYNAMODB_ENV, startRunDynamoDb } = await tsImport('../helpers/sharedDynamoDb.ts', import.meta.url);
  const { SHARED_S3_HOST_ENV } = await tsImport('../helpers/sharedS3Host.ts', import.meta.url);
  const { startS3Host } = await tsImport('../../local/s3.ts', import.meta.url);
  // An outer run already shares them (its teardown stops them).
  if (process.env[SHARED_DYNAMODB_ENV]) return;
  const [dynamo, s3] = await Promise.allSettled([startRunDynamoDb(), startS3Host()]);
  if (dynamo.status === 'rejected' || s3.status === 'rejected') {
    await Promise.allSettled([dynamo, s3].filter((started) => started.status === 'fulfilled').map((started) => started.value.stop()));
    throw dynamo.status === 'rejected' ? dynamo.reason : s3.reason;
  }
  globalThis[RUN_SERVICES] = { stop: [dynamo.value, s3.value], env: [SHARED_DYNAMODB_ENV, SHARED_S3_HOST_ENV] };
  // Set before jest starts its workers, so every worker inherits them.
  process.env[SHARED_DYNAMODB_ENV] = dynamo.value.endpoint;
  process.env[SHARED_S3_HOST_ENV] = JSON.stringify({ endpoint: s3.value.endpoint, token: s3.value.token });
}

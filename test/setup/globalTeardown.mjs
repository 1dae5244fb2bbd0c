// Jest's global teardown: stops the run's DynamoDB Local (also after failed tests; were jest killed
// instead, the JVM exits by itself when its stdin, a pipe from this process, ends).
import { RUN_DYNAMODB } from './globalSetup.mjs';

export default async function globalTeardown() {
  const run = globalThis[RUN_DYNAMODB];
  if (!run) return;
  delete globalThis[RUN_DYNAMODB];
  // A next run in the same process (watch mode) starts its own again.
  delete process.env[run.env];
  await run.dynamo.stop();
}

// Jest's global teardown: stops the run's DynamoDB Local and S3 host (also after failed tests; were
// jest killed instead, both exit by themselves when their stdin, a pipe from this process, ends).
import { RUN_SERVICES } from './globalSetup.mjs';

export default async function globalTeardown() {
  const run = globalThis[RUN_SERVICES];
  if (!run) return;
  delete globalThis[RUN_SERVICES];
  // A next run in the same process (watch mode) starts its own again.
  for (const name of run.env) delete process.env[name];
  const stopped = await Promise.allSettled(run.stop.map((service) => service.stop()));
  const failed = stopped.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

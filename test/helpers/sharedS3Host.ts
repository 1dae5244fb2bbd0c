/**
 * One host process of local S3 servers for a whole jest run (`local/s3Host.ts`), started by jest's
 * global setup beside the shared DynamoDB Local: each test vault's S3 server runs in it, on a port
 * and in a folder of its own, instead of in a process started for it (about a CPU-second each).
 * Its endpoint and token reach the workers in an environment variable. Without it (jest run
 * without the global setup) each stack starts its own process, as `npm start` does.
 */
import type { S3Host } from '../../local/s3';

/** Where the global setup puts the host's endpoint and token, as JSON; workers inherit it. */
export const SHARED_S3_HOST_ENV = 'OTPVAULT_TEST_S3_HOST';

/** The run's S3 host, if the global setup started one. */
export function sharedS3Host(): S3Host | undefined {
  const value = process.env[SHARED_S3_HOST_ENV];
  return value ? (JSON.parse(value) as S3Host) : undefined;
}

/**
 * Runs in the child process `local/s3.ts` starts (under `tsx`, with `--openssl-legacy-provider`):
 * one s3rver with the signature check (`local/s3rverInstance.ts`).
 *
 * Input comes as JSON in `OTPVAULT_S3RVER`; the port is announced as `LISTENING <port>` on stdout.
 * Exits when stdin closes, so it never outlives the runner that started it.
 */
import { startS3rverInstance, type S3InstanceConfig } from './s3rverInstance';

const config = JSON.parse(process.env.OTPVAULT_S3RVER ?? '{}') as S3InstanceConfig;
const instance = await startS3rverInstance(config).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
process.stdout.write(`LISTENING ${instance.port}\n`);
const stop = () => instance.close().then(() => process.exit(0), () => process.exit(0));
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();

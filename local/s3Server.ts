/**
 * Runs in the child process `local/s3.ts` starts (under `tsx`, with `--openssl-legacy-provider`):
 * s3rver on 127.0.0.1, with every request's SigV4 signature checked against the local stack's
 * credentials first, as S3 checks it. s3rver itself does not check V4 signatures and lets
 * anonymous requests in; here neither gets past the check.
 *
 * Input comes as JSON in `OTPVAULT_S3RVER`; the port is announced as `LISTENING <port>` on stdout.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { LocalCredentialStore } from './credentials';
import { verifySignature, type SignatureProblem } from './sigv4/verifySignature';

interface ChildConfig {
  dataDir: string;
  directory: string;
  buckets: string[];
}

/** The slice of Koa's context the check reads. */
interface KoaContext {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverApp {
  middleware: Middleware[];
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string>) => Error;
type AccountModule = { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void; revokeAccessKey(id: string): void } };

const S3_CODES: Record<SignatureProblem, string> = {
  missing: 'AccessDenied',
  incomplete: 'AuthorizationHeaderMalformed',
  unknownKey: 'InvalidAccessKeyId',
  mismatch: 'SignatureDoesNotMatch',
  expired: 'RequestTimeTooSkewed',
};

const config = JSON.parse(process.env.OTPVAULT_S3RVER ?? '{}') as ChildConfig;
const require = createRequire(import.meta.url);
const s3rverPath = require.resolve('s3rver');
const S3rver = require(s3rverPath) as new (options: object) => S3rverApp;
const S3Error = require(join(s3rverPath, '..', 'models', 'error.js')) as S3ErrorClass;
const { DUMMY_ACCOUNT } = require(join(s3rverPath, '..', 'models', 'account.js')) as AccountModule;
// s3rver ships a well-known key pair (S3RVER/S3RVER): not here.
DUMMY_ACCOUNT.revokeAccessKey('S3RVER');

const credentials = new LocalCredentialStore(config.dataDir);
const checkSignature: Middleware = async (ctx, next) => {
  const check = await verifySignature({ method: ctx.method, url: ctx.url, headers: ctx.headers }, {
    secretOf: (accessKeyId) => credentials.secretOf(accessKeyId),
    uriEscapePath: false,
  });
  if (!check.ok) throw new S3Error(S3_CODES[check.problem], check.message);
  // s3rver's own check then finds the account of a key pair we have verified.
  DUMMY_ACCOUNT.createKeyPair(check.accessKeyId, (await credentials.secretOf(check.accessKeyId)) ?? '');
  await next();
};

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory: config.directory,
  silent: true,
  configureBuckets: config.buckets.map((name) => ({ name, configs: [] })),
});
// After s3rver's logger and XML encoder, so refusals are rendered as S3 error documents.
server.middleware.splice(3, 0, checkSignature);
server.run().then(
  (address) => process.stdout.write(`LISTENING ${address.port}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
const stop = () => server.close().then(() => process.exit(0), () => process.exit(0));
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();

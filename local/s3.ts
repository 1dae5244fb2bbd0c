/**
 * A local S3-compatible server for the audit archive: s3rver in a child process, objects kept on
 * disk in `<dataDir>/s3/`, the archive bucket created at start.
 *
 * It runs in its own Node.js process because s3rver encrypts list continuation tokens with DES,
 * which OpenSSL 3 only offers through its legacy provider (`--openssl-legacy-provider`), a flag
 * that can only be set when a process starts. The child also exits when its stdin closes, so it
 * never outlives the runner that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { LOCAL_CREDENTIALS } from './dynamo';
import { OutputTail } from './internal/OutputTail';
import { stopChild } from './internal/processes';

/**
 * Name of the archive bucket locally (CDK lets CloudFormation name the real one); the same as the
 * local default of `OTPVAULT_ARCHIVE_BUCKET`.
 */
export const LOCAL_ARCHIVE_BUCKET = 'otpvault-audit-archive';

export interface LocalS3Options {
  /** Root of the local data; objects go to `<dataDir>/s3/`. */
  dataDir: string;
  /** Buckets to create if missing. @default [LOCAL_ARCHIVE_BUCKET] */
  buckets?: readonly string[];
  /** How long to wait for the server to listen. @default 15000 */
  startTimeoutMs?: number;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` (with `forcePathStyle`). */
  endpoint: string;
  /** Folder holding the buckets. */
  directory: string;
  /** Stops the server and waits for the process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** Runs in the child: accepts the local credentials, creates the buckets, listens on a free port. */
const CHILD_SCRIPT = `
const { s3rver, account, directory, buckets, accessKeyId, secretAccessKey } = JSON.parse(process.env.OTPVAULT_S3RVER);
const S3rver = require(s3rver);
require(account).DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
server.run().then(
  (address) => process.stdout.write('LISTENING ' + address.port + '\\n'),
  (error) => { process.stderr.write(String(error && error.stack || error) + '\\n'); process.exit(1); },
);
const stop = () => server.close().then(() => process.exit(0), () => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
`;

/**
 * Starts the server and waits until it listens.
 *
 * @param options - Data directory and buckets.
 * @throws Error with the child's output when it exits or does not listen in time.
 * @example
 * const s3 = await startLocalS3({ dataDir: '.otpvault' });
 * await s3.stop();
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const directory = resolve(options.dataDir, 's3');
  await mkdir(directory, { recursive: true });
  const require = createRequire(import.meta.url);
  const s3rverPath = require.resolve('s3rver');
  const config = {
    s3rver: s3rverPath,
    account: join(s3rverPath, '..', 'models', 'account.js'),
    directory,
    buckets: options.buckets ?? [LOCAL_ARCHIVE_BUCKET],
    ...LOCAL_CREDENTIALS,
  };
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD_SCRIPT], {
    env: { ...process.env, NODE_OPTIONS: '', OTPVAULT_S3RVER: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = new OutputTail();
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  try {
    const port = await listeningPort(child, output, options.startTimeoutMs ?? 15_000);
    let stopping: Promise<void> | undefined;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      directory,
      stop: () => {
        stopping ??= stopChild(child);
        return stopping;
      },
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

function listeningPort(child: ChildProcess, output: OutputTail, timeoutMs: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the local S3 server did not start within ${timeoutMs} ms\n${output.toString()}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /LISTENING (\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the local S3 server exited during start (code ${code}, signal ${signal})\n${output.toString()}`));
    });
  });
}

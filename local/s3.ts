/**
 * A local S3-compatible server for the audit archive: s3rver in a child process, objects kept on
 * disk in `<dataDir>/s3/`, the archive bucket created at start.
 *
 * It runs in its own Node.js process (`local/s3Server.ts`) because s3rver encrypts list
 * continuation tokens with DES, which OpenSSL 3 only offers through its legacy provider
 * (`--openssl-legacy-provider`), a flag that can only be set when a process starts. The child also
 * exits when its stdin closes, so it never outlives the runner that started it. It accepts only
 * requests SigV4-signed with a key pair of `<dataDir>/credentials.json`.
 *
 * A test run starts many stacks: there one host process (`startS3Host`, `local/s3Host.ts`) serves
 * each stack's server, the same server on a port of its own, without a process start per stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './dataDir';
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
  /** A host process ({@link startS3Host}) to run the server in, instead of a process of its own. */
  host?: S3Host;
}

/** Where a host process of S3 servers listens for control requests, and the token it asks for. */
export interface S3Host {
  endpoint: string;
  token: string;
}

export interface RunningS3Host extends S3Host {
  /** Stops the host and every server in it; waits for the process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` (with `forcePathStyle`). */
  endpoint: string;
  /** Folder holding the buckets. */
  directory: string;
  /** Stops the server and waits for the process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

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
  const buckets = options.buckets ?? [LOCAL_ARCHIVE_BUCKET];
  // The archive bucket is write-once, as its policy and Object Lock make it in AWS.
  const config = { dataDir: resolve(options.dataDir), directory, buckets, writeOnceBuckets: buckets.filter((name) => name === LOCAL_ARCHIVE_BUCKET) };
  if (options.host) return startOnHost(options.host, config, directory);
  const { child, port } = await startListening('./s3Server.ts', { OTPVAULT_S3RVER: JSON.stringify(config) }, options.startTimeoutMs);
  return { endpoint: `http://127.0.0.1:${port}`, directory, stop: once(() => stopChild(child)) };
}

/**
 * Starts a host process for the S3 servers of many stacks (a test run's), which {@link startLocalS3}
 * uses when given it.
 *
 * @throws Error with the child's output when it exits or does not listen in time.
 */
export async function startS3Host(options: { startTimeoutMs?: number } = {}): Promise<RunningS3Host> {
  const token = randomBytes(24).toString('base64url');
  const { child, port } = await startListening('./s3Host.ts', { OTPVAULT_S3_HOST_TOKEN: token }, options.startTimeoutMs);
  return { endpoint: `http://127.0.0.1:${port}`, token, stop: once(() => stopChild(child)) };
}

async function startOnHost(host: S3Host, config: object, directory: string): Promise<LocalS3> {
  const control = (method: string, path: string, body?: object) =>
    fetch(`${host.endpoint}${path}`, {
      method,
      headers: { authorization: `Bearer ${host.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).catch((error: unknown) => {
      // fetch says only "fetch failed": name the host, which a test run starts once for all its files.
      throw new Error(`the S3 host at ${host.endpoint} did not answer ${method} ${path} (has it stopped?)`, { cause: error });
    });
  const started = await control('POST', '/servers', config);
  if (started.status !== 201) throw new Error(`the S3 host did not start a server (${started.status}): ${await started.text()}`);
  const { port } = (await started.json()) as { port: number };
  const stop = async () => {
    const stopped = await control('DELETE', `/servers/${port}`);
    if (stopped.status !== 204) throw new Error(`the S3 host did not stop the server on port ${port} (${stopped.status}): ${await stopped.text()}`);
  };
  return { endpoint: `http://127.0.0.1:${port}`, directory, stop: once(stop) };
}

/** `stop` run on the first call only; later calls get the same promise ("safe to call twice"). */
function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}

/** Spawns `script` (beside this file) as the S3 server processes run, and waits for its `LISTENING <port>`. */
async function startListening(script: string, env: Record<string, string>, timeoutMs = 15_000): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = new OutputTail();
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  try {
    return { child, port: await listeningPort(child, output, timeoutMs) };
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

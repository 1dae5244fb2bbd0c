import { Fn, Stack, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import type { RouteDefinition, RouteGrants } from '../../shared/api/route';
import { ENV } from '../../shared/config/vaultConfig';
import { CONTEXT_KEYS } from '../../shared/crypto/FieldCipher';
import { DECODER_WASM_DIR_ENV } from '../../shared/seed/qr/decoderWasm';
import { ZXING_WASM_ENV } from '../../shared/seed/qr/zxingModule';
import { PARTITIONS_OF, POLICIES_PK } from '../../shared/store/keys';
import type { TableDefinition } from '../../shared/store/tables';
import type { AuditArchive } from './auditArchive';
import { acknowledgeArchiveObjects, tableKeyViaDynamoDb } from './grants';
import type { VaultTables } from './tables';
import { VaultLambda, ZXING_WASM_FILE } from './vaultLambda';

/**
 * Encryption-context key every seed-key operation must carry (the field cipher always binds it); the
 * IAM condition refuses calls without it.
 */
export const SEED_CONTEXT_KEY = CONTEXT_KEYS.secretId;

/** DynamoDB actions per `grants.vault` level, on the vault table (and Query on its indexes). */
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
} as const satisfies Record<NonNullable<RouteGrants['vault']>, readonly string[]>;

/** `grants.audit: 'read'`: Query on the audit table and its indexes (only the stream consumer writes it). */
export const AUDIT_READ_ACTIONS = ['dynamodb:Query'] as const;

/** Every request writes its audit event to the outbox. */
export const AUDIT_OUTBOX_ACTIONS = ['dynamodb:PutItem'] as const;

/**
 * `grants.archive: 'verify'`: read archive objects (and learn that one is missing: ListBucket), each at
 * its first version: listing a key's versions and reading one by id are separate S3 permissions.
 */
export const ARCHIVE_VERIFY_ACTIONS = {
  objects: ['s3:GetObject', 's3:GetObjectVersion'],
  bucket: ['s3:ListBucket', 's3:ListBucketVersions'],
  /** SSE-KMS objects are decrypted by S3 with the reader's permission. */
  archiveKey: ['kms:Decrypt'],
  signingKey: ['kms:GetPublicKey'],
} as const;

/** `grants.users: 'lookup'`: read one user of the pool (its sub), to bind the users a policy names. */
export const USER_LOOKUP_ACTIONS = ['cognito-idp:AdminGetUser'] as const;

/** The resources route functions may be granted access to. */
export interface VaultResources {
  readonly tables: VaultTables;
  /** The single-table vault (templates, secrets, seeds). */
  readonly vaultTable: TableDefinition;
  /** The audit outbox every request writes to. */
  readonly eventsTable: TableDefinition;
  /** The queryable audit log (written by the stream consumer only). */
  readonly auditTable: TableDefinition;
  readonly seedKey: IKey;
  readonly tableKey: IKey;
  readonly archive: AuditArchive;
  /** The user pool whose accounts policies bind named users to (`grants.users`). */
  readonly userPool: IUserPool;
}

export interface VaultFunctionsProps extends VaultResources {
  /** The route table: one function per row. */
  readonly routes: readonly RouteDefinition[];
  /** Folder holding `<op>/handler.ts`. */
  readonly handlersDir: string;
  /** From `sourceDigest(handlersDir)`. */
  readonly sourceDigest: string;
  /** Environment every function gets (configuration names from `ENV`, table names). */
  readonly environment: Record<string, string>;
  /** Environment only functions reading the audit archive get. */
  readonly archiveEnvironment: Record<string, string>;
}

/**
 * One function per route (see VaultLambda), each with an IAM policy generated from the route's
 * declared `grants`, nothing more.
 */
export class VaultFunctions extends Construct {
  private readonly byOp = new Map<string, VaultLambda>();

  constructor(scope: Construct, id: string, props: VaultFunctionsProps) {
    super(scope, id);
    for (const route of props.routes) {
      const lambda = new VaultLambda(this, route.op, {
        name: route.op,
        description: `otpvault ${route.op}: ${route.method} ${route.path}`,
        handlersDir: props.handlersDir,
        sourceDigest: props.sourceDigest,
        environment: {
          ...props.environment,
          ...(route.grants.archive ? props.archiveEnvironment : {}),
          ...(route.decodesPictures ? { [ZXING_WASM_ENV]: `/var/task/${ZXING_WASM_FILE}`, [DECODER_WASM_DIR_ENV]: '/var/task' } : {}),
        },
        memoryMb: route.memoryMb,
        timeoutSeconds: route.timeoutSeconds,
        decodesPictures: route.decodesPictures,
      });
      for (const statement of grantStatements(route.grants, props)) lambda.role.addToPolicy(statement);
      if (route.auth === 'required' && !route.grants.vault) lambda.role.addToPolicy(policySetRead(props));
      acknowledgeUnscopableResources(lambda, route.grants, props);
      this.byOp.set(route.op, lambda);
    }
    // Reconciliation tells the vault's own Decrypts from anyone else's by the caller in CloudTrail:
    // a Lambda function appears as `assumed-role/<its role name>/<session>`.
    const decryptCallers = props.routes
      .filter((route) => route.grants.kms?.includes('Decrypt'))
      .map((route) => `:assumed-role/${this.lambdaFor(route.op).role.roleName}/`);
    for (const route of props.routes.filter((r) => r.grants.cloudTrail?.length)) {
      this.lambdaFor(route.op).fn.addEnvironment(ENV.vaultDecryptCallers, Fn.join(',', decryptCallers));
    }
  }

  /** The function serving `op`; throws for an operation that is not in the route table. */
  functionFor(op: string): NodejsFunction {
    return this.lambdaFor(op).fn;
  }

  /** The function, role and log group serving `op`. */
  lambdaFor(op: string): VaultLambda {
    const lambda = this.byOp.get(op);
    if (!lambda) throw new Error(`no function was built for operation ${op}`);
    return lambda;
  }
}

/**
 * The IAM statements a route's `grants` turn into:
 * - always `PutItem` on the audit outbox (every request is audited);
 * - `vault: read` → GetItem/Query on the vault table, Query on each of its indexes;
 *   `vault: write` → also Put/Update/Delete/ConditionCheck (what transactions are authorized against),
 *   only in the partitions of `grants.writes` (`dynamodb:LeadingKeys`);
 * - `audit: read` → Query on the audit table and each of its indexes;
 * - the table key, only through DynamoDB;
 * - `kms` → exactly the declared operations on the seed key, only with the secret's encryption context;
 * - `cloudTrail` → the declared CloudTrail operations (they support no resource scoping);
 * - `archive: verify` → read the archive's objects, decrypt them through S3, read the signing key's public half;
 * - `users: lookup` → `cognito-idp:AdminGetUser` on the stack's user pool only.
 */
export function grantStatements(grants: RouteGrants, resources: VaultResources): PolicyStatement[] {
  const events = resources.tables.tableFor(resources.eventsTable);
  const statements = [
    new PolicyStatement({ sid: 'AuditOutboxWrite', actions: [...AUDIT_OUTBOX_ACTIONS], resources: [events.tableArn] }),
  ];
  if (grants.vault) {
    const vault = resources.tables.tableFor(resources.vaultTable);
    statements.push(new PolicyStatement({ sid: 'VaultRead', actions: [...VAULT_ACTIONS.read], resources: [vault.tableArn] }));
    if (grants.vault === 'write') {
      // Writes only in the partitions the route declares: generateOtp cannot rewrite policies.
      if (!grants.writes?.length) throw new Error('a route with vault: write must declare the item kinds it writes (grants.writes)');
      statements.push(
        new PolicyStatement({
          sid: 'VaultWriteOwnKinds',
          actions: VAULT_ACTIONS.write.filter((action) => !(VAULT_ACTIONS.read as readonly string[]).includes(action)),
          resources: [vault.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': grants.writes.map((kind) => PARTITIONS_OF[kind]) } },
        }),
      );
    }
    statements.push(...indexQuery('VaultIndexQuery', vault, resources.vaultTable));
  }
  if (grants.audit) {
    const audit = resources.tables.tableFor(resources.auditTable);
    statements.push(new PolicyStatement({ sid: 'AuditLogRead', actions: [...AUDIT_READ_ACTIONS], resources: [audit.tableArn] }));
    statements.push(...indexQuery('AuditLogIndexQuery', audit, resources.auditTable));
  }
  statements.push(tableKeyViaDynamoDb(resources.tableKey));
  if (grants.kms && grants.kms.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'SeedKeyWithSecretContext',
        actions: grants.kms.map((operation) => `kms:${operation}`),
        resources: [resources.seedKey.keyArn],
        conditions: {
          'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': [SEED_CONTEXT_KEY] },
          // Only secretId and field: a context with otpvault:part (a seed version, a recovery code) is refused.
          ...(grants.kmsContext === 'wholeFieldsOnly' && {
            'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [CONTEXT_KEYS.secretId, CONTEXT_KEYS.field] },
          }),
        },
      }),
    );
  }
  if (grants.cloudTrail && grants.cloudTrail.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'CloudTrailLookup',
        actions: grants.cloudTrail.map((operation) => `cloudtrail:${operation}`),
        resources: ['*'],
      }),
    );
  }
  if (grants.users === 'lookup') {
    statements.push(new PolicyStatement({ sid: 'UserPoolLookup', actions: [...USER_LOOKUP_ACTIONS], resources: [resources.userPool.userPoolArn] }));
  }
  if (grants.archive === 'verify') {
    const archive = resources.archive;
    statements.push(
      new PolicyStatement({ sid: 'ArchiveObjectsRead', actions: [...ARCHIVE_VERIFY_ACTIONS.objects], resources: archive.objectArns() }),
      new PolicyStatement({ sid: 'ArchiveList', actions: [...ARCHIVE_VERIFY_ACTIONS.bucket], resources: [archive.bucket.bucketArn] }),
      new PolicyStatement({
        sid: 'ArchiveKeyViaS3',
        actions: [...ARCHIVE_VERIFY_ACTIONS.archiveKey],
        resources: [archive.archiveKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(archive).region}.amazonaws.com` } },
      }),
      new PolicyStatement({
        sid: 'SigningKeyPublicHalf',
        actions: [...ARCHIVE_VERIFY_ACTIONS.signingKey],
        resources: [archive.signingKey.keyArn],
      }),
    );
  }
  return statements;
}

/**
 * Every authenticated request is decided against the stored access policies (one GetItem of the
 * policy-set version, a Query of the `POLICIES` partition when it changed). Functions that declare
 * no vault access get exactly that: the two reads, on that one partition.
 */
export function policySetRead(resources: VaultResources): PolicyStatement {
  return new PolicyStatement({
    sid: 'PolicySetRead',
    actions: [...VAULT_ACTIONS.read],
    resources: [resources.tables.tableFor(resources.vaultTable).tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [POLICIES_PK] } },
  });
}

function indexQuery(sid: string, table: ITable, definition: TableDefinition): PolicyStatement[] {
  if (definition.indexes.length === 0) return [];
  const indexArns = definition.indexes.map((index) => `${table.tableArn}/index/${index.name}`);
  return [new PolicyStatement({ sid, actions: ['dynamodb:Query'], resources: indexArns })];
}

/**
 * The two grants of the route table that cannot name an exact resource, acknowledged where they
 * are made: CloudTrail's LookupEvents has no resource-level permission, and archive objects are
 * named per day, so reads are granted on the two archive prefixes.
 */
function acknowledgeUnscopableResources(lambda: VaultLambda, grants: RouteGrants, resources: VaultResources): void {
  if (grants.cloudTrail && grants.cloudTrail.length > 0) {
    Validations.of(lambda.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `cloudtrail:${grants.cloudTrail.join(', cloudtrail:')} supports no resource-level permission; the role can only look events up (read-only).`,
    });
  }
  if (grants.archive) acknowledgeArchiveObjects(lambda, resources.archive, 'read (GetObject only)');
}

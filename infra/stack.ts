import { Aws, CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../shared/api/route';
import { routes } from '../shared/api/routes';
import type { AuthConfig } from '../shared/config/vaultConfig';
import { ENV } from '../shared/config/vaultConfig';
import { AUDIT_TABLE, EVENTS_TABLE, TABLES, VAULT_TABLE } from '../shared/store/tables';
import { sourceDigest } from './bundleFingerprint';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { VaultApi } from './constructs/api';
import { AuditAlarms } from './constructs/auditAlarms';
import { AuditArchive, DEFAULT_ARCHIVE_RETENTION_DAYS } from './constructs/auditArchive';
import { AuditConsumer } from './constructs/auditConsumer';
import { VaultDashboard } from './constructs/dashboard';
import { VaultIdentity } from './constructs/identity';
import { VaultKeys } from './constructs/keys';
import { PeopleAuthorizer } from './constructs/peopleAuthorizer';
import { VaultTables } from './constructs/tables';
import { VaultFunctions } from './constructs/vaultFunctions';
import { DEFAULT_HANDLERS_DIR } from './projectPaths';

/** Context key that points the stack at another handlers folder (experiments only). */
export const HANDLERS_DIR_CONTEXT = 'otpvault:handlersDir';
/** Context key for the audit archive's Object Lock retention in days (`cdk deploy -c otpvault:archiveRetentionDays=730`). */
export const ARCHIVE_RETENTION_CONTEXT = 'otpvault:archiveRetentionDays';

export interface OtpVaultStackProps extends StackProps {
  /**
   * Folder holding `<op>/handler.ts` for every route (and the audit stream consumer).
   * @default - context `otpvault:handlersDir`, else `<repo>/lambdas`
   */
  readonly handlersDir?: string;
  /**
   * Days each audit archive object stays locked (S3 Object Lock, COMPLIANCE mode).
   * @default - context `otpvault:archiveRetentionDays`, else 365
   */
  readonly archiveRetentionDays?: number;
}

/**
 * The otpvault backend. It only wires: tables from `TABLES`, one function + grant set per row of the
 * route table, served by two HTTP APIs (people with user-pool tokens through the people authorizer;
 * machines signing as IAM roles), the keys, the user pool, and the audit pipeline (outbox stream to
 * audit table and signed S3 archive).
 */
export class OtpVaultStack extends Stack {
  readonly keys: VaultKeys;
  readonly tables: VaultTables;
  readonly identity: VaultIdentity;
  readonly archive: AuditArchive;
  readonly functions: VaultFunctions;
  readonly auditConsumer: AuditConsumer;
  readonly auditAlarms: AuditAlarms;
  readonly peopleAuthorizer: PeopleAuthorizer;
  /** People (and services) with Cognito access tokens, through the people authorizer. */
  readonly api: VaultApi;
  /** Machines signing with an IAM role (SigV4): the same routes and functions. */
  readonly iamApi: VaultApi;

  constructor(scope: Construct, id: string, props: OtpVaultStackProps = {}) {
    super(scope, id, props);
    const routeTable: readonly RouteDefinition[] = routes;
    const handlersDir =
      props.handlersDir ?? (this.node.tryGetContext(HANDLERS_DIR_CONTEXT) as string | undefined) ?? DEFAULT_HANDLERS_DIR;
    const digest = sourceDigest(handlersDir);

    this.keys = new VaultKeys(this, 'Keys');
    this.tables = new VaultTables(this, 'Tables', { definitions: TABLES, encryptionKey: this.keys.tableKey });
    this.identity = new VaultIdentity(this, 'Identity');
    const retentionContext = this.node.tryGetContext(ARCHIVE_RETENTION_CONTEXT) as string | number | undefined;
    this.archive = new AuditArchive(this, 'AuditArchive', {
      retentionDays: props.archiveRetentionDays ?? (retentionContext === undefined ? DEFAULT_ARCHIVE_RETENTION_DAYS : Number(retentionContext)),
    });

    const authMode: AuthConfig['mode'] = 'cognito';
    const environment: Record<string, string> = {
      [ENV.kmsKeyId]: this.keys.seedKey.keyArn,
      [ENV.authMode]: authMode,
      [ENV.userPoolId]: this.identity.userPool.userPoolId,
      [ENV.userPoolClientId]: this.identity.client.userPoolClientId,
      [ENV.logLevel]: 'info',
      ...Object.fromEntries(TABLES.map((d) => [d.envVar, this.tables.tableFor(d).tableName])),
    };
    const archiveEnvironment: Record<string, string> = {
      [ENV.archiveBucket]: this.archive.bucket.bucketName,
      [ENV.archiveKeyId]: this.archive.archiveKey.keyArn,
      [ENV.auditSigningKeyId]: this.archive.signingKey.keyArn,
    };

    this.functions = new VaultFunctions(this, 'Functions', {
      routes: routeTable,
      handlersDir,
      sourceDigest: digest,
      environment,
      archiveEnvironment,
      tables: this.tables,
      vaultTable: VAULT_TABLE,
      eventsTable: EVENTS_TABLE,
      auditTable: AUDIT_TABLE,
      seedKey: this.keys.seedKey,
      tableKey: this.keys.tableKey,
      archive: this.archive,
    });
    this.auditConsumer = new AuditConsumer(this, 'AuditConsumer', {
      handlersDir,
      sourceDigest: digest,
      environment: { ...environment, ...archiveEnvironment },
      outbox: this.tables.tableFor(EVENTS_TABLE),
      auditTable: this.tables.tableFor(AUDIT_TABLE),
      tableKey: this.keys.tableKey,
      archive: this.archive,
    });
    this.auditAlarms = new AuditAlarms(this, 'AuditAlarms', {
      consumer: this.auditConsumer.lambda.fn,
      deadLetters: this.auditConsumer.deadLetters,
    });
    this.peopleAuthorizer = new PeopleAuthorizer(this, 'PeopleAuthorizer', {
      handlersDir,
      sourceDigest: digest,
      environment: {
        [ENV.authMode]: authMode,
        [ENV.userPoolId]: this.identity.userPool.userPoolId,
        [ENV.userPoolClientId]: this.identity.client.userPoolClientId,
        [ENV.logLevel]: 'info',
        [EVENTS_TABLE.envVar]: this.tables.tableFor(EVENTS_TABLE).tableName,
      },
      outbox: this.tables.tableFor(EVENTS_TABLE),
      tableKey: this.keys.tableKey,
    });
    this.api = new VaultApi(this, 'Api', {
      routes: routeTable,
      functionFor: (op) => this.functions.functionFor(op),
      authorizer: this.peopleAuthorizer.httpAuthorizer,
      description: 'otpvault API for people: Cognito access tokens (Authorization: Bearer)',
    });
    // HTTP APIs have no resource policy: callers are IAM roles of this account (or roles they assume
    // into it) whose policies allow execute-api:Invoke on this API; IAM users are refused by the functions.
    this.iamApi = new VaultApi(this, 'IamApi', {
      routes: routeTable,
      functionFor: (op) => this.functions.functionFor(op),
      authorizer: new HttpIamAuthorizer(),
      description: 'otpvault API for machines: requests signed with SigV4 by an IAM role',
    });

    new VaultDashboard(this, 'Dashboard');
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the otpvault API for people (Cognito access tokens)' });
    new CfnOutput(this, 'IamApiUrl', { value: this.iamApi.url, description: 'Base URL of the otpvault API for machines (SigV4, IAM roles)' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId, description: 'Cognito user pool of otpvault users' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId, description: 'Cognito app client (SRP, no secret)' });
    new CfnOutput(this, 'SeedKeyArn', { value: this.keys.seedKey.keyArn, description: 'KMS key protecting seeds and recovery codes' });
    new CfnOutput(this, 'Region', { value: Aws.REGION, description: 'Region the stack is deployed in' });
    for (const definition of TABLES) {
      new CfnOutput(this, `${definition.id}TableName`, {
        value: this.tables.tableFor(definition).tableName,
        description: `${definition.description} (Lambdas read it from ${definition.envVar})`,
      });
    }
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucket.bucketName, description: 'S3 bucket of the audit archive' });
    new CfnOutput(this, 'AuditSigningKeyArn', {
      value: this.archive.signingKey.keyArn,
      description: 'KMS key that signs archive digests (its public half verifies them offline)',
    });
    new CfnOutput(this, 'AuditDeadLetterQueueUrl', {
      value: this.auditConsumer.deadLetters.queueUrl,
      description: 'Outbox stream batches the audit consumer could not process',
    });
  }
}

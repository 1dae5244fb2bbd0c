import { Aws, CfnOutput, CfnRule, CrossStackReferences, Fn, ReferenceStrength, Stack, Token, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../shared/api/route';
import { routes } from '../shared/api/routes';
import { ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER } from '../shared/auth/originGate';
import type { AuthConfig } from '../shared/config/vaultConfig';
import { ENV } from '../shared/config/vaultConfig';
import { AUDIT_TABLE, EVENTS_TABLE, TABLES, VAULT_TABLE } from '../shared/store/tables';
import { sourceDigest } from './bundleFingerprint';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { VaultApi } from './constructs/api';
import { AuditAlarms } from './constructs/auditAlarms';
import { AuditArchive, DEFAULT_ARCHIVE_RETENTION_DAYS } from './constructs/auditArchive';
import { AuditConsumer } from './constructs/auditConsumer';
import { VaultAlerts } from './constructs/alerts';
import { VaultConsole } from './constructs/console';
import { VaultDashboard } from './constructs/dashboard';
import { EDGE_REGION, EdgeWebAcl } from './constructs/edgeWebAcl';
import { VaultIdentity } from './constructs/identity';
import { VaultKeys } from './constructs/keys';
import { PeopleAuthorizer } from './constructs/peopleAuthorizer';
import { RefusalSweeper } from './constructs/refusalSweeper';
import { VaultTables } from './constructs/tables';
import { VaultFunctions } from './constructs/vaultFunctions';
import { DEFAULT_HANDLERS_DIR } from './projectPaths';

/** Context key that points the stack at another handlers folder (experiments only). */
export const HANDLERS_DIR_CONTEXT = 'otpvault:handlersDir';
/**
 * Context key naming the one principal besides the vault's functions that may decrypt seeds
 * (`cdk deploy -c otpvault:breakGlassPrincipalArn=arn:aws:iam::123456789012:role/otpvault-break-glass`).
 */
export const BREAK_GLASS_CONTEXT = 'otpvault:breakGlassPrincipalArn';
/**
 * Context key: `none` deploys without reserved concurrency (accounts whose Lambda concurrency limit
 * is too low to reserve any); by default the waits of the OTP route are capped and the authorizer
 * and the audit consumer get concurrency of their own (`RESERVED_CONCURRENCY`).
 */
export const CONCURRENCY_CONTEXT = 'otpvault:concurrency';
/**
 * A minValidSeconds wait holds a generateOtp instance up to a period: capping that function keeps
 * waits from taking the account's concurrency; the authorizer and the consumer keep theirs whatever
 * the routes do.
 */
export const RESERVED_CONCURRENCY = { generateOtp: 20, authorizer: 20, auditConsumer: 5 } as const;
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
  /**
   * ARN of the WAFv2 web ACL (scope CLOUDFRONT) for the console's distribution, built in us-east-1
   * by the edge stack (`createOtpVaultApp` does this when the vault is in another region).
   * @default - the web ACL is built in this stack, which must then be in us-east-1
   */
  readonly webAclArn?: string;
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
  /** The alert bus, its rule and topic, and the outbox stream's second consumer that publishes on it. */
  readonly alerts: VaultAlerts;
  readonly peopleAuthorizer: PeopleAuthorizer;
  /** Every minute, closed refusal windows (repeated refused credentials) become summary audit events. */
  readonly refusalSweeper: RefusalSweeper;
  /** People (and services) with Cognito access tokens, through the people authorizer. */
  readonly api: VaultApi;
  /** Machines signing with an IAM role (SigV4): the same routes and functions. */
  readonly iamApi: VaultApi;
  /** The web console (CloudFront + S3, Cognito managed login), which also serves the people API under `/v1/*`. */
  readonly console: VaultConsole;
  /** The web ACL in front of the console's distribution, when this stack builds it (in us-east-1). */
  readonly edgeWebAcl?: EdgeWebAcl;
  /** The value of CloudFront's origin header, which the people authorizer requires. */
  readonly originSecret: Secret;

  constructor(scope: Construct, id: string, props: OtpVaultStackProps = {}) {
    super(scope, id, props);
    // The web ACL's ARN from the us-east-1 edge stack is read with Fn::GetStackOutput (a weak
    // reference): no custom resources to carry it across regions, and nothing for the edge stack to export.
    if (props.webAclArn) CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);
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

    // Seals listing cursors; generated by Secrets Manager at deploy and resolved into the functions' environment.
    const cursorKey = new Secret(this, 'CursorKey', {
      description: 'otpvault: seals listing cursors (AES-256-GCM); replacing it only invalidates open cursors',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The cursor key only seals listing cursors, which live for one listing; it is read at deploy into the functions\' environment, so rotation would need a redeploy and only invalidate open cursors.',
    });
    const authMode: AuthConfig['mode'] = 'cognito';
    const environment: Record<string, string> = {
      [ENV.kmsKeyId]: this.keys.seedKey.keyArn,
      [ENV.authMode]: authMode,
      [ENV.userPoolId]: this.identity.userPool.userPoolId,
      [ENV.userPoolClientId]: this.identity.client.userPoolClientId,
      [ENV.logLevel]: 'info',
      [ENV.cursorKey]: cursorKey.secretValue.unsafeUnwrap(),
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
      userPool: this.identity.userPool,
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
    this.archive.restrictSigningTo(this.auditConsumer.lambda.role);
    const breakGlass = this.node.tryGetContext(BREAK_GLASS_CONTEXT) as string | undefined;
    this.keys.restrictSeedDecryption([
      ...routeTable.filter((route) => route.grants.kms?.includes('Decrypt')).map((route) => this.functions.lambdaFor(route.op).role.roleArn),
      ...(breakGlass ? [breakGlass] : []),
    ]);
    this.auditAlarms = new AuditAlarms(this, 'AuditAlarms', {
      consumer: this.auditConsumer.lambda.fn,
      deadLetters: this.auditConsumer.deadLetters,
    });
    this.alerts = new VaultAlerts(this, 'Alerts', {
      handlersDir,
      sourceDigest: digest,
      environment,
      outbox: this.tables.tableFor(EVENTS_TABLE),
      vaultTable: this.tables.tableFor(VAULT_TABLE),
      tableKey: this.keys.tableKey,
    });
    this.edgeWebAcl = props.webAclArn ? undefined : this.webAclHere();
    this.console = new VaultConsole(this, 'Console', { userPool: this.identity.userPool, webAclArn: props.webAclArn ?? this.edgeWebAcl!.arn });
    // CloudFront sends it to the people API; the authorizer refuses requests without it (they went around the web ACL).
    this.originSecret = new Secret(this, 'OriginVerifySecret', {
      description: 'otpvault: header value CloudFront adds to people API requests; the authorizer refuses requests without it',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'CloudFront takes the value at deploy (a dynamic reference in its origin header) while the authorizer reads it at cold start: rotating it outside a deploy would refuse every request until both agree. Replace it by redeploying with a new secret.',
    });
    this.peopleAuthorizer = new PeopleAuthorizer(this, 'PeopleAuthorizer', {
      handlersDir,
      sourceDigest: digest,
      environment: {
        [ENV.authMode]: authMode,
        [ENV.userPoolId]: this.identity.userPool.userPoolId,
        // Access tokens of the API client and of the console's client.
        [ENV.userPoolClientId]: `${this.identity.client.userPoolClientId},${this.console.client.userPoolClientId}`,
        [ENV.logLevel]: 'info',
        [EVENTS_TABLE.envVar]: this.tables.tableFor(EVENTS_TABLE).tableName,
        [VAULT_TABLE.envVar]: this.tables.tableFor(VAULT_TABLE).tableName,
      },
      outbox: this.tables.tableFor(EVENTS_TABLE),
      vaultTable: this.tables.tableFor(VAULT_TABLE),
      tableKey: this.keys.tableKey,
      originSecret: this.originSecret,
    });
    this.refusalSweeper = new RefusalSweeper(this, 'RefusalSweeper', {
      handlersDir,
      sourceDigest: digest,
      environment: {
        [ENV.logLevel]: 'info',
        [EVENTS_TABLE.envVar]: this.tables.tableFor(EVENTS_TABLE).tableName,
        [VAULT_TABLE.envVar]: this.tables.tableFor(VAULT_TABLE).tableName,
      },
      vaultTable: this.tables.tableFor(VAULT_TABLE),
      outbox: this.tables.tableFor(EVENTS_TABLE),
      tableKey: this.keys.tableKey,
    });
    if (this.node.tryGetContext(CONCURRENCY_CONTEXT) !== 'none') {
      const reserve = (fn: { node: { defaultChild?: unknown } }, count: number) => {
        (fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = count;
      };
      reserve(this.functions.functionFor('generateOtp'), RESERVED_CONCURRENCY.generateOtp);
      reserve(this.peopleAuthorizer.lambda.fn, RESERVED_CONCURRENCY.authorizer);
      reserve(this.auditConsumer.lambda.fn, RESERVED_CONCURRENCY.auditConsumer);
    }
    this.api = new VaultApi(this, 'Api', {
      routes: routeTable,
      functionFor: (op) => this.functions.functionFor(op),
      authorizer: this.peopleAuthorizer.httpAuthorizer,
      description: 'otpvault API for people: Cognito access tokens (Authorization: Bearer), through CloudFront only',
    });
    // People reach the API on the console's origin, behind the web ACL; no CORS needed.
    this.console.routeApi(this.api.httpApi, { name: ORIGIN_VERIFY_HEADER, value: this.originSecret.secretValue.unsafeUnwrap() }, VIEWER_IP_HEADER);
    this.console.deploy();
    // WAF cannot be attached to an HTTP API. A request with a bad or missing signature is refused by
    // API Gateway before any function runs (nothing is audited), so a flood costs only the stage
    // throttle, which VaultApi sets explicitly (API_THROTTLE, ROUTE_THROTTLES).
    // HTTP APIs have no resource policy: callers are IAM roles of this account (or roles they assume
    // into it) whose policies allow execute-api:Invoke on this API; IAM users are refused by the functions.
    this.iamApi = new VaultApi(this, 'IamApi', {
      routes: routeTable,
      functionFor: (op) => this.functions.functionFor(op),
      authorizer: new HttpIamAuthorizer(),
      description: 'otpvault API for machines: requests signed with SigV4 by an IAM role',
    });

    new VaultDashboard(this, 'Dashboard');
    new CfnOutput(this, 'ApiUrl', {
      value: this.console.origin,
      description: 'Base URL of the otpvault API for people (Cognito access tokens): the console\'s CloudFront origin, behind the WAF web ACL',
    });
    new CfnOutput(this, 'IamApiUrl', { value: this.iamApi.url, description: 'Base URL of the otpvault API for machines (SigV4, IAM roles)' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId, description: 'Cognito user pool of otpvault users' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId, description: 'Cognito app client (SRP or USER_PASSWORD_AUTH, no secret): otpvault login' });
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
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn, description: 'SNS topic of otpvault alerts: subscribe an email or chat webhook' });
    new CfnOutput(this, 'AlertBusName', { value: this.alerts.bus.eventBusName, description: 'EventBridge bus otpvault publishes its alerts on' });
    new CfnOutput(this, 'AuditDeadLetterQueueUrl', {
      value: this.auditConsumer.deadLetters.queueUrl,
      description: 'Outbox stream batches the audit consumer could not process',
    });
  }

  /**
   * The web ACL built in this stack: only possible in us-east-1, where CloudFront's web ACLs live.
   * A stack synthesized without a region gets a template rule, so deploying it elsewhere fails
   * before anything is created rather than leave the distribution without WAF.
   */
  private webAclHere(): EdgeWebAcl {
    if (!Token.isUnresolved(this.region) && this.region !== EDGE_REGION) {
      throw new Error(`the web ACL of a CloudFront distribution must be in ${EDGE_REGION}: build OtpVaultStack in ${this.region} with webAclArn (createOtpVaultApp builds the edge stack)`);
    }
    if (Token.isUnresolved(this.region)) {
      new CfnRule(this, 'EdgeRegion', {
        assertions: [
          {
            assert: Fn.conditionEquals(Aws.REGION, EDGE_REGION),
            assertDescription: `This template holds the CloudFront web ACL, which exists only in ${EDGE_REGION}. Synthesize with a region (cdk deploy does) to get the separate edge stack.`,
          },
        ],
      });
    }
    return new EdgeWebAcl(this, 'EdgeWebAcl');
  }
}

import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_PREFIX } from '../../shared/audit/archive/keys';

/** Alias of the key that encrypts archive objects (SSE-KMS). */
export const ARCHIVE_KEY_ALIAS = 'alias/otpvault-archive';
/** Alias of the asymmetric key that signs the archive's digests. */
export const SIGNING_KEY_ALIAS = 'alias/otpvault-audit-signing';

/** Default Object Lock retention of archive objects, in days (stack prop or context `otpvault:archiveRetentionDays`). */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 365;

export interface AuditArchiveProps {
  /**
   * Days every object version stays locked in COMPLIANCE mode: nobody, the root user included, can
   * delete or overwrite it before then.
   * @default DEFAULT_ARCHIVE_RETENTION_DAYS
   */
  readonly retentionDays?: number;
}

/** How long S3 server access logs of the archive are kept. */
const ACCESS_LOG_DAYS = 365;

/**
 * Where audit events end up for good: a versioned, private bucket encrypted with its own key, whose
 * objects are chained by digests signed with an asymmetric KMS key (ECC_NIST_P256, ECDSA_SHA_256).
 * Reads and writes of the bucket are logged to a second bucket.
 */
export class AuditArchive extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  /** Encrypts archive objects at rest (SSE-KMS, with an S3 bucket key). */
  readonly archiveKey: Key;
  /** Signs digests; its public half lets anyone verify the chain offline. */
  readonly signingKey: Key;

  constructor(scope: Construct, id: string, props: AuditArchiveProps = {}) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? DEFAULT_ARCHIVE_RETENTION_DAYS;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(`the archive retention must be a whole number of days, at least 1 (got ${retentionDays})`);
    }
    this.archiveKey = new Key(this, 'ArchiveKey', {
      alias: ARCHIVE_KEY_ALIAS,
      description: 'otpvault: audit archive objects (SSE-KMS)',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.signingKey = new Key(this, 'SigningKey', {
      alias: SIGNING_KEY_ALIAS,
      description: 'otpvault: signs audit archive digests (ECDSA_SHA_256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the server access log destination of the audit archive; logging it into itself would loop.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.archiveKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      // Tamper-proof, not only tamper-evident: every version is write-once until its retention ends.
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(retentionDays)),
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Object Lock keeps every version but does not stop a new one under a sealed key: a put must be
    // conditional (If-None-Match: *), so it can only create.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyOverwrites',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
  }

  /**
   * Only `signer` may sign with the signing key, whatever IAM policies say (account admins
   * included): a key policy Deny for every other principal.
   */
  restrictSigningTo(signer: IRole): void {
    this.signingKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheAuditConsumerSigns',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': signer.roleArn } },
      }),
    );
  }

  /** Key prefixes the archive writes under (events and digests). */
  readonly objectPrefixes: readonly string[] = Object.values(ARCHIVE_PREFIX);

  /** ARNs of the objects the archive holds, one per prefix, for object-level grants. */
  objectArns(): string[] {
    return this.objectPrefixes.map((prefix) => this.bucket.arnForObjects(`${prefix}*`));
  }
}

import { Duration, Stack } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUDIT_CONSUMER_FUNCTION } from '../../shared/api/functions';
import { ARCHIVE_SEAL_EVENT, ARCHIVE_SEAL_EVERY_SECONDS } from '../../shared/audit/consumer/sealEvent';
import type { AuditArchive } from './auditArchive';
import { acknowledgeArchiveObjects, tableKeyViaDynamoDb } from './grants';
import { outboxStreamMapping } from './outboxStreamMapping';
import { VaultLambda } from './vaultLambda';

/** Handler folder of the consumer (`lambdas/auditStreamConsumer/handler.ts`); not a route. */
export const AUDIT_CONSUMER = AUDIT_CONSUMER_FUNCTION.name;

/** What the consumer does, action by action (mirrors shared/audit/consumer and shared/audit/archive). */
export const AUDIT_CONSUMER_ACTIONS = {
  /** Read the outbox's stream (Lambda's poller uses the function's role). */
  stream: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
  /** Audit items (Put, Get, Update) and the archive ledger (Query, Put, transactions that Delete). */
  auditTable: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  /** Write event objects and digests, read them back, tell a missing one from a forbidden one. */
  objects: ['s3:GetObject', 's3:PutObject'],
  bucket: ['s3:ListBucket'],
  /** SSE-KMS through S3: data keys for writes, decryption for reads. */
  archiveKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
  signingKey: ['kms:Sign'],
} as const;

export interface AuditConsumerProps {
  readonly handlersDir: string;
  readonly sourceDigest: string;
  /** Environment of every function plus the archive's. */
  readonly environment: Record<string, string>;
  /** The audit outbox, whose stream is consumed. */
  readonly outbox: ITable;
  /** The audit table the consumer writes. */
  readonly auditTable: ITable;
  readonly tableKey: IKey;
  readonly archive: AuditArchive;
}

/**
 * Carries every audit event from the outbox's stream to the audit table and the S3 archive (where
 * digests are signed). Failed records are retried, bisected, and finally parked in a queue. A
 * schedule seals, every minute, what the batches left for a digest (they sign at most once a minute).
 */
export class AuditConsumer extends Construct {
  readonly lambda: VaultLambda;
  readonly deadLetters: Queue;
  readonly mapping: EventSourceMapping;
  readonly sealSchedule: Rule;

  constructor(scope: Construct, id: string, props: AuditConsumerProps) {
    super(scope, id);
    this.lambda = new VaultLambda(this, 'Consumer', {
      name: AUDIT_CONSUMER,
      description: 'otpvault audit: outbox stream to audit table and archive',
      handlersDir: props.handlersDir,
      sourceDigest: props.sourceDigest,
      environment: props.environment,
      memoryMb: AUDIT_CONSUMER_FUNCTION.memoryMb,
      timeoutSeconds: AUDIT_CONSUMER_FUNCTION.timeoutSeconds,
    });
    const role = this.lambda.role;
    const streamArn = props.outbox.tableStreamArn;
    if (!streamArn) throw new Error('the audit outbox has no stream to consume');
    const { archive } = props;
    for (const statement of [
      new PolicyStatement({ sid: 'OutboxStreamRead', actions: [...AUDIT_CONSUMER_ACTIONS.stream], resources: [streamArn] }),
      new PolicyStatement({ sid: 'AuditLogWrite', actions: [...AUDIT_CONSUMER_ACTIONS.auditTable], resources: [props.auditTable.tableArn] }),
      tableKeyViaDynamoDb(props.tableKey),
      new PolicyStatement({ sid: 'ArchiveObjectsWrite', actions: [...AUDIT_CONSUMER_ACTIONS.objects], resources: archive.objectArns() }),
      new PolicyStatement({ sid: 'ArchiveList', actions: [...AUDIT_CONSUMER_ACTIONS.bucket], resources: [archive.bucket.bucketArn] }),
      new PolicyStatement({
        sid: 'ArchiveKeyViaS3',
        actions: [...AUDIT_CONSUMER_ACTIONS.archiveKey],
        resources: [archive.archiveKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
      new PolicyStatement({ sid: 'DigestSigning', actions: [...AUDIT_CONSUMER_ACTIONS.signingKey], resources: [archive.signingKey.keyArn] }),
    ]) {
      role.addToPolicy(statement);
    }
    acknowledgeArchiveObjects(this.lambda, archive, 'write and read back (PutObject, GetObject)');

    ({ deadLetters: this.deadLetters, mapping: this.mapping } = outboxStreamMapping(this, this.lambda.fn, streamArn, 'the audit stream consumer'));
    this.sealSchedule = new Rule(this, 'SealSchedule', {
      description: 'otpvault audit: seal the archive objects consumer batches left for a digest',
      schedule: Schedule.rate(Duration.seconds(ARCHIVE_SEAL_EVERY_SECONDS)),
      // A missed run is made up by the next (objects wait in the ledger until sealed): no long retries.
      targets: [
        new LambdaFunction(this.lambda.fn, { event: RuleTargetInput.fromObject(ARCHIVE_SEAL_EVENT), retryAttempts: 2, maxEventAge: Duration.minutes(5) }),
      ],
    });
  }
}

import { Match, Template } from 'aws-cdk-lib/assertions';
import { createOtpVaultApp } from '../../infra/otpVaultApp';
import { ARCHIVE_RETENTION_CONTEXT, type OtpVaultStack } from '../../infra/stack';
import { routes } from '../../shared/api/routes';
import { ARCHIVE_SEAL_EVENT } from '../../shared/audit/consumer/sealEvent';
import { EVENTS_TABLE } from '../../shared/store/tables';
import { arnOf, asArray, cdkJsonContext, logicalIdOf, refersTo, statementsOfRole, temporaryOutdir } from './synthHelpers';

/**
 * The audit pipeline as deployed: the outbox stream mapping (partial batch failures, bisect,
 * retries, parking), the Object Lock archive bucket and its keys, and the alarms. Synthesized
 * without bundling (the bundles are checked in stack.test.ts).
 */

function synth(context: Record<string, unknown> = {}, archiveRetentionDays?: number): { stack: OtpVaultStack; template: Template } {
  const { app, stack } = createOtpVaultApp({
    appProps: { outdir: temporaryOutdir(), context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } },
    stackProps: archiveRetentionDays === undefined ? {} : { archiveRetentionDays },
  });
  const assembly = app.synth();
  return { stack, template: Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>) };
}

let stack: OtpVaultStack;
let template: Template;

beforeAll(() => {
  // Prepare
  ({ stack, template } = synth());
}, 300_000);

const resource = (logicalId: string) => template.toJSON().Resources[logicalId];
const roleOf = (fnLogicalId: string): string => resource(fnLogicalId).Properties.Role['Fn::GetAtt'][0];

describe('the outbox stream mapping', () => {
  it('reports failed records, bisects failing batches, retries and parks what keeps failing in SQS', () => {
    // Prepare
    const consumer = logicalIdOf(stack.auditConsumer.lambda.fn);
    const outbox = logicalIdOf(stack.tables.tableFor(EVENTS_TABLE));
    const queue = logicalIdOf(stack.auditConsumer.deadLetters);
    // Assess
    // Two consumers of the outbox stream: this one, and the alert publisher (alerts.test.ts).
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: consumer },
      EventSourceArn: { 'Fn::GetAtt': [outbox, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 86_400,
      DestinationConfig: { OnFailure: { Destination: arnOf(queue) } },
    });
  });

  it('invokes the consumer every minute with the archive seal event, so no object waits long for its digest', () => {
    // Prepare
    const consumer = logicalIdOf(stack.auditConsumer.lambda.fn);
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [
        {
          Arn: arnOf(consumer),
          Id: 'Target0',
          Input: JSON.stringify(ARCHIVE_SEAL_EVENT),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
        },
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: arnOf(consumer),
      SourceArn: arnOf(logicalIdOf(stack.auditConsumer.sealSchedule)),
    });
  });

  it('parks failed batches in a queue that is encrypted and TLS-only', () => {
    // Prepare
    const queue = logicalIdOf(stack.auditConsumer.deadLetters);
    // Assess
    expect(resource(queue).Properties).toMatchObject({ SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('the archive bucket', () => {
  it('locks every object version in COMPLIANCE mode for 365 days by default', () => {
    // Assess
    expect(resource(logicalIdOf(stack.archive.bucket)).Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('takes the retention from the context or the stack props', () => {
    // Act
    const fromContext = synth({ [ARCHIVE_RETENTION_CONTEXT]: '730' });
    const fromProps = synth({}, 2555);
    // Assess
    const days = ({ stack: s, template: t }: { stack: OtpVaultStack; template: Template }) =>
      t.toJSON().Resources[logicalIdOf(s.archive.bucket)].Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days;
    expect([days(fromContext), days(fromProps)]).toEqual([730, 2555]);
  }, 300_000);

  it('encrypts with its own customer-managed key, blocks public access and logs access to another bucket', () => {
    // Prepare
    const bucket = logicalIdOf(stack.archive.bucket);
    // Assess
    expect(resource(bucket).Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(logicalIdOf(stack.archive.archiveKey)) } },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(stack.archive.accessLogs) } },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('the digest signing key', () => {
  it('is an asymmetric P-256 signing key', () => {
    // Assess
    expect(resource(logicalIdOf(stack.archive.signingKey)).Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/otpvault-audit-signing',
      TargetKeyId: arnOf(logicalIdOf(stack.archive.signingKey)),
    });
  });

  it('signs only for the consumer, only gives its public half to the verify function, and nothing to any other', () => {
    // Prepare
    const signingKey = logicalIdOf(stack.archive.signingKey);
    const onSigningKey = (fn: string) =>
      statementsOfRole(template, roleOf(fn))
        .filter((statement) => refersTo(statement.Resource, signingKey))
        .flatMap((statement) => asArray(statement.Action))
        .sort();
    // Act
    const consumer = onSigningKey(logicalIdOf(stack.auditConsumer.lambda.fn));
    const verify = onSigningKey(logicalIdOf(stack.functions.functionFor('verifyAudit')));
    const others = routes.filter((r) => r.op !== 'verifyAudit').flatMap((r) => onSigningKey(logicalIdOf(stack.functions.functionFor(r.op))));
    // Assess
    expect(consumer).toEqual(['kms:Sign']);
    expect(verify).toEqual(['kms:GetPublicKey']);
    expect(others).toEqual([]);
  });
});

describe('the audit alarms', () => {
  it('fires as soon as one batch is parked in the failure queue', () => {
    // Prepare
    const queue = logicalIdOf(stack.auditConsumer.deadLetters);
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires on consumer errors and when the consumer falls behind the stream', () => {
    // Prepare
    const consumer = { Ref: logicalIdOf(stack.auditConsumer.lambda.fn) };
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: consumer }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: consumer }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});

import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { EventSourceMapping, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { OUTBOX_BATCHING } from '../../shared/api/functions';

/**
 * How a consumer reads the audit outbox's stream: partial batch failures, bisect on error, ten
 * retries, then the batch is parked in an encrypted, TLS-only queue (ids `FailedBatches` and
 * `OutboxStream` under `scope`).
 *
 * @param what - the consumer, for the queue's nag acknowledgement ("the audit stream consumer")
 */
export function outboxStreamMapping(scope: Construct, fn: IFunction, streamArn: string, what: string): { deadLetters: Queue; mapping: EventSourceMapping } {
  const deadLetters = new Queue(scope, 'FailedBatches', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter destination of ${what}; nothing consumes it automatically.`,
  });
  const mapping = new EventSourceMapping(scope, 'OutboxStream', {
    target: fn,
    eventSourceArn: streamArn,
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: OUTBOX_BATCHING.maxRecords,
    maxBatchingWindow: Duration.seconds(OUTBOX_BATCHING.windowSeconds),
    parallelizationFactor: 1,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    retryAttempts: 10,
    // The stream keeps records 24 h; older ones are parked (the outbox still holds them for 7 days).
    maxRecordAge: Duration.hours(24),
    onFailure: new SqsDlq(deadLetters),
  });
  return { deadLetters, mapping };
}

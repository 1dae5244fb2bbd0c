import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Oldest unprocessed outbox record (ms) before the iterator-age alarm fires: the archive lags. */
export const AUDIT_ITERATOR_AGE_ALARM_MS = 15 * 60_000;

export interface AuditAlarmsProps {
  /** The stream consumer. */
  readonly consumer: IFunction;
  /** Where the event source mapping parks batches that kept failing. */
  readonly deadLetters: IQueue;
}

/**
 * The audit pipeline must never lose an event silently: an alarm for every way it can fall behind.
 * They have no action here; subscribe the team's paging topic where the stack is deployed.
 */
/** Every audit alarm fires on the first period above its threshold; no data is no trouble. */
const ABOVE_THRESHOLD_ONCE = {
  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: 1,
  treatMissingData: TreatMissingData.NOT_BREACHING,
} as const;

export class AuditAlarms extends Construct {
  /** A batch was given up on: its events are in the outbox (7 days) but not in the audit table or archive. */
  readonly deadLetters: Alarm;
  /** The consumer threw or timed out (every error means a retried batch). */
  readonly errors: Alarm;
  /** The consumer falls behind the stream (24 h retention): events are not yet auditable. */
  readonly iteratorAge: Alarm;

  constructor(scope: Construct, id: string, props: AuditAlarmsProps) {
    super(scope, id);
    this.deadLetters = new Alarm(this, 'DeadLetters', {
      alarmDescription: 'otpvault audit: outbox stream batches were given up on; replay them from the outbox table before its TTL (7 days)',
      metric: props.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      ...ABOVE_THRESHOLD_ONCE,
    });
    this.errors = new Alarm(this, 'ConsumerErrors', {
      alarmDescription: 'otpvault audit: the stream consumer failed (the batch is retried, bisected, and finally parked)',
      metric: props.consumer.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      ...ABOVE_THRESHOLD_ONCE,
    });
    this.iteratorAge = new Alarm(this, 'IteratorAge', {
      alarmDescription: `otpvault audit: the consumer is more than ${AUDIT_ITERATOR_AGE_ALARM_MS / 60_000} minutes behind the outbox stream`,
      metric: props.consumer.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: AUDIT_ITERATOR_AGE_ALARM_MS,
      ...ABOVE_THRESHOLD_ONCE,
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { REFUSAL_SWEEPER_FUNCTION } from '../../shared/api/functions';
import { REFUSAL_WINDOW } from '../../shared/audit/refusals/window';
import { refusalWindowStatement, tableKeyViaDynamoDb } from './grants';
import { AUDIT_OUTBOX_ACTIONS } from './vaultFunctions';
import { VaultLambda } from './vaultLambda';

/** What the sweeper does, action by action (mirrors shared/audit/refusals). */
export const REFUSAL_SWEEPER_ACTIONS = {
  /** Read closed windows, and delete each in the transaction that writes its summary. */
  windows: ['dynamodb:DeleteItem', 'dynamodb:Query'],
  outbox: AUDIT_OUTBOX_ACTIONS,
} as const;

export interface RefusalSweeperProps {
  readonly handlersDir: string;
  readonly sourceDigest: string;
  /** Only what the sweeper reads: the two table names and the log level. */
  readonly environment: Record<string, string>;
  readonly vaultTable: ITable;
  readonly outbox: ITable;
  readonly tableKey: IKey;
}

/**
 * The refusal sweeper on an EventBridge schedule: every minute it turns closed refusal windows
 * into summary events in the audit outbox. Its role may read and delete refusal windows and put
 * outbox items, nothing else.
 */
export class RefusalSweeper extends Construct {
  readonly lambda: VaultLambda;
  readonly schedule: Rule;
  /**
   * The sweeper failed (a window it could not summarize, or the whole run). Windows expire
   * `REFUSAL_WINDOW.expiresAfterCloseSeconds` after their minute: past that, the repeats of a failed
   * window are known only from the function's log and the `RefusalsAggregated` metric. No action here;
   * subscribe the team's paging topic where the stack is deployed.
   */
  readonly errors: Alarm;

  constructor(scope: Construct, id: string, props: RefusalSweeperProps) {
    super(scope, id);
    this.lambda = new VaultLambda(this, 'Sweeper', {
      name: REFUSAL_SWEEPER_FUNCTION.name,
      description: 'otpvault audit: closed refusal windows to summary events',
      handlersDir: props.handlersDir,
      sourceDigest: props.sourceDigest,
      environment: props.environment,
      memoryMb: REFUSAL_SWEEPER_FUNCTION.memoryMb,
      timeoutSeconds: REFUSAL_SWEEPER_FUNCTION.timeoutSeconds,
    });
    for (const statement of [
      refusalWindowStatement('RefusalWindowsSweep', REFUSAL_SWEEPER_ACTIONS.windows, props.vaultTable),
      new PolicyStatement({ sid: 'AuditOutboxWrite', actions: [...REFUSAL_SWEEPER_ACTIONS.outbox], resources: [props.outbox.tableArn] }),
      tableKeyViaDynamoDb(props.tableKey),
    ]) {
      this.lambda.role.addToPolicy(statement);
    }
    this.schedule = new Rule(this, 'Schedule', {
      description: 'otpvault: sweep closed refusal windows into summary audit events',
      schedule: Schedule.rate(Duration.seconds(REFUSAL_WINDOW.sweepEverySeconds)),
      // A missed run is made up by the next one (windows stay until summarized or expired): no long retries.
      targets: [new LambdaFunction(this.lambda.fn, { retryAttempts: 2, maxEventAge: Duration.minutes(5) })],
    });
    this.errors = new Alarm(this, 'Errors', {
      alarmDescription: `otpvault audit: the refusal sweeper failed; windows it did not summarize expire ${REFUSAL_WINDOW.expiresAfterCloseSeconds / 60} minutes after their minute`,
      metric: this.lambda.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

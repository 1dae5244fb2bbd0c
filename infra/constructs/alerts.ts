import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import type { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALERT_SOURCE } from '../../shared/alerts/alert';
import { ALERT_ENV } from '../../shared/alerts/env';
import { ALERT_PUBLISHER_FUNCTION } from '../../shared/api/functions';
import { ALERT_PK_PREFIX } from '../../shared/store/keys';
import { AUDIT_CONSUMER_ACTIONS } from './auditConsumer';
import { tableKeyViaDynamoDb } from './grants';
import { outboxStreamMapping } from './outboxStreamMapping';
import { VaultLambda } from './vaultLambda';

/** Handler folder of the publisher (`lambdas/alertPublisher/handler.ts`); not a route. */
export const ALERT_PUBLISHER = ALERT_PUBLISHER_FUNCTION.name;
/** Alias of the key that encrypts the alert topic. */
export const ALERT_KEY_ALIAS = 'alias/otpvault-alerts';

/** What the publisher does, action by action (mirrors shared/alerts). */
export const ALERT_PUBLISHER_ACTIONS = {
  stream: AUDIT_CONSUMER_ACTIONS.stream,
  /** Alert markers only (`ALERT#…` items of the vault table): was it sent, mark it sent. */
  markers: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  bus: ['events:PutEvents'],
} as const;

export interface VaultAlertsProps {
  readonly handlersDir: string;
  readonly sourceDigest: string;
  /** Environment of every function (table names, log level). */
  readonly environment: Record<string, string>;
  /** The audit outbox, whose stream is consumed a second time. */
  readonly outbox: ITable;
  /** The vault table, holding the alert markers. */
  readonly vaultTable: ITable;
  readonly tableKey: IKey;
}

/**
 * Alerts: the outbox stream's second consumer publishes on the stack's EventBridge bus; a rule on
 * the bus forwards every otpvault alert to an encrypted SNS topic that admins subscribe an email or
 * chat webhook to. The publisher may only put events on this bus and write its markers.
 */
export class VaultAlerts extends Construct {
  readonly bus: EventBus;
  readonly topic: Topic;
  readonly topicKey: Key;
  readonly rule: Rule;
  readonly lambda: VaultLambda;
  readonly deadLetters: Queue;
  readonly mapping: EventSourceMapping;

  constructor(scope: Construct, id: string, props: VaultAlertsProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { description: 'otpvault alerts: codes handed out of watched secrets, access requests and decisions, low recovery codes' });
    this.topicKey = new Key(this, 'TopicKey', {
      alias: ALERT_KEY_ALIAS,
      description: 'otpvault: alert topic encryption',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // EventBridge publishes to the encrypted topic, so it needs the key for that (and nothing else does).
    this.topicKey.grant(new ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', { displayName: 'otpvault alerts', masterKey: this.topicKey, enforceSSL: true });
    this.rule = new Rule(this, 'ToTopic', {
      eventBus: this.bus,
      description: 'Every otpvault alert to the alert topic',
      eventPattern: { source: [ALERT_SOURCE] },
      targets: [new SnsTopic(this.topic, { retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    this.lambda = new VaultLambda(this, 'Publisher', {
      name: ALERT_PUBLISHER,
      description: 'otpvault alerts: outbox stream to the alert bus',
      handlersDir: props.handlersDir,
      sourceDigest: props.sourceDigest,
      environment: { ...props.environment, [ALERT_ENV.bus]: this.bus.eventBusName },
      memoryMb: ALERT_PUBLISHER_FUNCTION.memoryMb,
      timeoutSeconds: ALERT_PUBLISHER_FUNCTION.timeoutSeconds,
    });
    const streamArn = props.outbox.tableStreamArn;
    if (!streamArn) throw new Error('the audit outbox has no stream to consume');
    for (const statement of [
      new PolicyStatement({ sid: 'OutboxStreamRead', actions: [...ALERT_PUBLISHER_ACTIONS.stream], resources: [streamArn] }),
      new PolicyStatement({
        sid: 'AlertMarkers',
        actions: [...ALERT_PUBLISHER_ACTIONS.markers],
        resources: [props.vaultTable.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${ALERT_PK_PREFIX}*`] } },
      }),
      tableKeyViaDynamoDb(props.tableKey),
      new PolicyStatement({ sid: 'AlertBusPut', actions: [...ALERT_PUBLISHER_ACTIONS.bus], resources: [this.bus.eventBusArn] }),
    ]) {
      this.lambda.role.addToPolicy(statement);
    }

    ({ deadLetters: this.deadLetters, mapping: this.mapping } = outboxStreamMapping(this, this.lambda.fn, streamArn, 'the alert publisher'));
  }
}

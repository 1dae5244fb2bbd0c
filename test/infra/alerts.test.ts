import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { OtpVaultStack } from '../../infra/stack';
import { EVENTS_TABLE, VAULT_TABLE } from '../../shared/store/tables';
import { arnOf, asArray, logicalIdOf, statementsOfRole, synthWithoutBundling, type Statement } from './synthHelpers';

/** The alert path as deployed: bus, rule, encrypted topic, and the publisher's grants (no bundling). */

let stack: OtpVaultStack;
let template: Template;

beforeAll(() => {
  // Prepare
  ({ stack, template } = synthWithoutBundling());
}, 300_000);

const resource = (logicalId: string) => template.toJSON().Resources[logicalId];

describe('the alert bus, rule and topic', () => {
  it('has a bus of its own and a rule on it sending every otpvault alert to the topic', () => {
    // Prepare
    const bus = logicalIdOf(stack.alerts.bus);
    const topic = logicalIdOf(stack.alerts.topic);
    // Assess
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: bus },
      EventPattern: { source: ['otpvault'] },
      Targets: [Match.objectLike({ Arn: { Ref: topic } })],
    });
  });

  it('encrypts the topic with its own rotating key, which EventBridge may use to publish, and refuses plain HTTP', () => {
    // Prepare
    const topic = logicalIdOf(stack.alerts.topic);
    const key = logicalIdOf(stack.alerts.topicKey);
    // Assess
    expect(resource(topic).Properties.KmsMasterKeyId).toEqual(arnOf(key));
    expect(resource(key).Properties.EnableKeyRotation).toBe(true);
    const keyStatements = resource(key).Properties.KeyPolicy.Statement as { Principal?: { Service?: string }; Action: string | string[] }[];
    const events = keyStatements.filter((s) => s.Principal?.Service === 'events.amazonaws.com');
    expect(events.flatMap((s) => asArray(s.Action)).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
  });
});

describe('the alert publisher', () => {
  it('consumes the outbox stream a second time, with partial failures and a dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(stack.alerts.lambda.fn) },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.tables.tableFor(EVENTS_TABLE)), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: arnOf(logicalIdOf(stack.alerts.deadLetters)) } },
    });
  });

  it('may put events on its bus only, and touch only the ALERT# items of the vault table', () => {
    // Prepare
    const role = resource(logicalIdOf(stack.alerts.lambda.fn)).Properties.Role['Fn::GetAtt'][0] as string;
    const statements = statementsOfRole(template, role) as (Statement & { Sid?: string })[];
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    // Assess
    expect(bySid('AlertBusPut')).toMatchObject({ Action: 'events:PutEvents', Resource: arnOf(logicalIdOf(stack.alerts.bus)) });
    expect(bySid('AlertMarkers')).toMatchObject({
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: arnOf(logicalIdOf(stack.tables.tableFor(VAULT_TABLE))),
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ALERT#*'] } },
    });
    const actions = statements.flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.startsWith('sns:') || a === 'dynamodb:Query' || a === 'dynamodb:Scan' || a === 'dynamodb:UpdateItem')).toEqual([]);
    // The table key only through DynamoDB (table encryption at rest), never directly.
    for (const s of statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('kms:')))) {
      expect(JSON.stringify(s.Condition?.StringEquals?.['kms:ViaService'])).toContain('"dynamodb."');
    }
    expect(resource(logicalIdOf(stack.alerts.lambda.fn)).Properties.Environment.Variables.OTPVAULT_ALERT_BUS).toEqual({ Ref: logicalIdOf(stack.alerts.bus) });
  });

  it('lets grants and markers expire by themselves: the vault table has TTL on "ttl"', () => {
    // Assess
    expect(resource(logicalIdOf(stack.tables.tableFor(VAULT_TABLE))).Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
  });
});

import type { Template } from 'aws-cdk-lib/assertions';
import type { OtpVaultStack } from '../../infra/stack';
import { EVENTS_TABLE, VAULT_TABLE } from '../../shared/store/tables';
import { arnOf, asArray, logicalIdOf, statementsOfRole, synthWithoutBundling, type Statement } from './synthHelpers';

/** Refusal windows as deployed: the sweeper's schedule, and what the sweeper and the authorizer may touch (no bundling). */

let stack: OtpVaultStack;
let template: Template;

beforeAll(() => {
  // Prepare
  ({ stack, template } = synthWithoutBundling());
}, 300_000);

const resource = (logicalId: string) => template.toJSON().Resources[logicalId];
const roleOf = (fn: { node: { defaultChild?: unknown } }) => resource(logicalIdOf(fn as never)).Properties.Role['Fn::GetAtt'][0] as string;
const vaultTable = () => arnOf(logicalIdOf(stack.tables.tableFor(VAULT_TABLE)));
const outbox = () => arnOf(logicalIdOf(stack.tables.tableFor(EVENTS_TABLE)));
const WINDOWS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REFUSALS#*'] } };
const dynamoStatements = (role: string) => (statementsOfRole(template, role) as (Statement & { Sid?: string })[]).filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));

describe('the refusal sweeper', () => {
  it('runs every minute on an EventBridge schedule', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [{ Arn: arnOf(logicalIdOf(stack.refusalSweeper.lambda.fn)), Id: 'Target0', RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 } }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: arnOf(logicalIdOf(stack.refusalSweeper.lambda.fn)),
      SourceArn: arnOf(logicalIdOf(stack.refusalSweeper.schedule)),
    });
  });

  it('raises an alarm when a sweep fails', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack.refusalSweeper.lambda.fn) } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('may only read and delete refusal windows in the vault table, and put events in the outbox', () => {
    // Act
    const statements = dynamoStatements(roleOf(stack.refusalSweeper.lambda.fn));

    // Assess
    expect(statements).toEqual([
      expect.objectContaining({ Action: ['dynamodb:DeleteItem', 'dynamodb:Query'], Resource: vaultTable(), Condition: WINDOWS_ONLY }),
      expect.objectContaining({ Action: 'dynamodb:PutItem', Resource: outbox() }),
    ]);
    const variables = resource(logicalIdOf(stack.refusalSweeper.lambda.fn)).Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(variables).sort()).toEqual([EVENTS_TABLE.envVar, 'OTPVAULT_LOG_LEVEL', VAULT_TABLE.envVar].sort());
  });
});

describe('the people authorizer and refusal windows', () => {
  it('may only update refusal windows in the vault table, besides putting events in the outbox', () => {
    // Act
    const statements = dynamoStatements(roleOf(stack.peopleAuthorizer.lambda.fn));

    // Assess
    expect(statements).toEqual([
      expect.objectContaining({ Action: 'dynamodb:PutItem', Resource: outbox() }),
      expect.objectContaining({ Action: 'dynamodb:UpdateItem', Resource: vaultTable(), Condition: WINDOWS_ONLY }),
    ]);
    const variables = resource(logicalIdOf(stack.peopleAuthorizer.lambda.fn)).Properties.Environment.Variables as Record<string, unknown>;
    expect(variables[VAULT_TABLE.envVar]).toEqual({ Ref: logicalIdOf(stack.tables.tableFor(VAULT_TABLE)) });
  });
});

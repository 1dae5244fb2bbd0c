import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ROUTE_THROTTLES } from '../../infra/constructs/api';
import { BREAK_GLASS_CONTEXT, OtpVaultStack, RESERVED_CONCURRENCY } from '../../infra/stack';
import { routes } from '../../shared/api/routes';
import { VAULT_TABLE } from '../../shared/store/tables';
import { cdkJsonContext, logicalIdOf, temporaryOutdir } from './synthHelpers';

/**
 * Key, bucket and stage policies that hold against principals with broad IAM rights. Bundling is skipped,
 * and so is CDK's built-in CloudFormation validation (nine CPU-seconds): nag.test.ts validates this stack,
 * which the break-glass context changes by one ARN in the seed key's policy.
 */
const BREAK_GLASS = 'arn:aws:iam::123456789012:role/otpvault-break-glass';
let outdir: string;
let stack: OtpVaultStack;
let template: Template;

beforeAll(() => {
  outdir = temporaryOutdir();
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], [BREAK_GLASS_CONTEXT]: BREAK_GLASS },
    builtinCloudFormationValidation: false,
  });
  stack = new OtpVaultStack(app, 'OtpVaultHardening');
  template = Template.fromJSON(app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>);
}, 300_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

type PolicyStatementJson = { Sid?: string; Effect: string; Action: string | string[]; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
const keyStatements = (id: string): PolicyStatementJson[] => template.toJSON().Resources[id].Properties.KeyPolicy.Statement;
const roleArn = (role: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [logicalIdOf(role as never), 'Arn'] });

describe('hardening of the deployed stack', () => {
  it('denies kms:Sign on the signing key to everyone but the audit consumer', () => {
    const deny = keyStatements(logicalIdOf(stack.archive.signingKey)).find((s) => s.Sid === 'OnlyTheAuditConsumerSigns');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Action: 'kms:Sign',
      Principal: { AWS: '*' },
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': roleArn(stack.auditConsumer.lambda.role) } },
    });
  });

  it('denies Decrypt and ReEncrypt on the seed key to all but the decrypting functions and the break-glass role', () => {
    const deny = keyStatements(logicalIdOf(stack.keys.seedKey)).find((s) => s.Sid === 'OnlyTheVaultDecrypts');
    const decrypting = routes.filter((route) => route.grants.kms?.includes('Decrypt')).map((route) => roleArn(stack.functions.lambdaFor(route.op).role));
    expect(decrypting.length).toBeGreaterThan(0);
    expect(deny).toMatchObject({ Effect: 'Deny', Action: ['kms:Decrypt', 'kms:ReEncrypt*'], Principal: { AWS: '*' } });
    expect(deny?.Condition?.ArnNotEquals?.['aws:PrincipalArn']).toEqual([...decrypting, BREAK_GLASS]);
  });

  it('denies archive puts that are not conditional on the key being new', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy');
    const statements = Object.values(policies)
      .filter((policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: logicalIdOf(stack.archive.bucket) }))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Sid: 'DenyOverwrites', Effect: 'Deny', Action: 's3:PutObject', Condition: { Null: { 's3:if-none-match': 'true' } } }),
    );
  });

  it('throttles decrypting and unauthenticated routes per route on both APIs', () => {
    for (const api of [stack.api, stack.iamApi]) {
      const settings = template.toJSON().Resources[logicalIdOf(api.stage)].Properties.RouteSettings as Record<string, unknown>;
      expect(settings['POST /v1/secrets/{secretId}/otp']).toEqual({
        ThrottlingRateLimit: ROUTE_THROTTLES.decrypting.rateLimit,
        ThrottlingBurstLimit: ROUTE_THROTTLES.decrypting.burstLimit,
      });
      expect(settings['GET /health']).toEqual({
        ThrottlingRateLimit: ROUTE_THROTTLES.unauthenticated.rateLimit,
        ThrottlingBurstLimit: ROUTE_THROTTLES.unauthenticated.burstLimit,
      });
    }
  });
});

describe('least privilege of route functions', () => {
  const statementsOf = (op: string) => {
    const roleId = logicalIdOf(stack.functions.lambdaFor(op).role);
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as (PolicyStatementJson & { Resource: unknown })[]);
  };
  const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
  const vaultTableArn = () => ({ 'Fn::GetAtt': [logicalIdOf(stack.tables.tableFor(VAULT_TABLE)), 'Arn'] });

  it.each([
    ['generateOtp', ['SECRET#*']],
    ['createSecret', ['SECRET#*', 'PATH#*']],
    ['createTemplate', ['TEMPLATE#*']],
    ['replacePolicy', ['POLICIES']],
  ])('lets %s write the vault table only in its own partitions', (op, partitions) => {
    const writes = statementsOf(op).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(vaultTableArn()) && asList(s.Action).some((a) => WRITE_ACTIONS.includes(a)));
    expect(writes).toHaveLength(1);
    expect(writes[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions } });
  });

  it('scopes every vault write of every route to declared partitions', () => {
    for (const route of routes.filter((r) => r.grants.vault === 'write')) {
      const onVault = statementsOf(route.op).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(vaultTableArn()));
      for (const statement of onVault.filter((s) => asList(s.Action).some((a) => WRITE_ACTIONS.includes(a)))) {
        expect({ op: route.op, condition: statement.Condition?.['ForAllValues:StringLike'] }).toEqual({
          op: route.op,
          condition: { 'dynamodb:LeadingKeys': expect.any(Array) },
        });
      }
    }
  });

  it('lets only the functions that bind policies look users up: AdminGetUser on the stack\'s user pool, nothing else in Cognito', () => {
    const poolArn = { 'Fn::GetAtt': [logicalIdOf(stack.identity.userPool), 'Arn'] };
    const binding = ['createPolicy', 'replacePolicy', 'getPolicy', 'simulatePolicy'];
    for (const route of routes) {
      const cognito = statementsOf(route.op).filter((s) => asList(s.Action).some((a) => a.startsWith('cognito-idp:')));
      expect({ op: route.op, cognito }).toEqual({
        op: route.op,
        cognito: binding.includes(route.op) ? [expect.objectContaining({ Sid: 'UserPoolLookup', Effect: 'Allow', Action: 'cognito-idp:AdminGetUser', Resource: poolArn })] : [],
      });
    }
  });

  it('lets revealField decrypt only contexts without otpvault:part (no seed version, no recovery code)', () => {
    const kms = statementsOf('revealField').find((s) => s.Sid === 'SeedKeyWithSecretContext');
    expect(kms?.Condition).toEqual({
      'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['otpvault:secretId'] },
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['otpvault:secretId', 'otpvault:field'] },
    });
    // The functions that do decrypt seeds and codes keep the plain condition.
    expect(statementsOf('generateOtp').find((s) => s.Sid === 'SeedKeyWithSecretContext')?.Condition).toEqual({
      'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['otpvault:secretId'] },
    });
  });
});

const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

describe('concurrency', () => {
  it('caps the function that waits and reserves concurrency for the authorizer and the audit consumer', () => {
    const reserved = (fn: { node: { defaultChild?: unknown } }) =>
      template.toJSON().Resources[logicalIdOf(fn as never)].Properties.ReservedConcurrentExecutions as number | undefined;
    expect(reserved(stack.functions.functionFor('generateOtp'))).toBe(RESERVED_CONCURRENCY.generateOtp);
    expect(reserved(stack.peopleAuthorizer.lambda.fn)).toBe(RESERVED_CONCURRENCY.authorizer);
    expect(reserved(stack.auditConsumer.lambda.fn)).toBe(RESERVED_CONCURRENCY.auditConsumer);
  });
});

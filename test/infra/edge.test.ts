import { rmSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { PER_IP_RATE_LIMIT } from '../../infra/constructs/edgeWebAcl';
import { API_THROTTLE } from '../../infra/constructs/api';
import { createOtpVaultApp, EDGE_STACK_ID } from '../../infra/otpVaultApp';
import { OtpVaultStack } from '../../infra/stack';
import type { OtpVaultEdgeStack } from '../../infra/edgeStack';
import { ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER } from '../../shared/auth/originGate';
import { ENV } from '../../shared/config/vaultConfig';
import { arnOf, cdkJsonContext, logicalIdOf, statementsOfRole, temporaryOutdir } from './synthHelpers';

/**
 * The edge in front of the people API: the console's CloudFront distribution serves `/v1/*` from the
 * API behind a WAFv2 web ACL (per-IP rate rule, AWS managed rule groups, metrics and logs), and sends
 * a secret origin header that the people authorizer requires. Synthesized without bundling, as the
 * CLI builds the app: once without a region (the web ACL in the vault's stack, us-east-1 only) and
 * once in eu-west-1 (the web ACL in the us-east-1 edge stack).
 */

const MANAGED_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];
const outdirs: string[] = [];

function synth(region?: string): { app: App; stack: OtpVaultStack; edge?: OtpVaultEdgeStack; template: Template; edgeTemplate?: Template } {
  const outdir = temporaryOutdir();
  outdirs.push(outdir);
  const { app, stack, edge } = createOtpVaultApp({
    appProps: { outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } },
    stackProps: region ? { env: { region } } : {},
  });
  const assembly = app.synth();
  const templateOf = (artifactId: string) => Template.fromJSON(assembly.getStackArtifact(artifactId).template as Record<string, unknown>);
  return { app, stack, edge, template: templateOf(stack.artifactId), edgeTemplate: edge && templateOf(edge.artifactId) };
}

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

type Resource = { Type: string; Properties: Record<string, any> };
const only = (template: Template, type: string): Resource => {
  const found = Object.values(template.findResources(type)) as Resource[];
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('the vault synthesized without a region (the web ACL in its own stack, us-east-1 only)', () => {
  let stack: OtpVaultStack;
  let template: Template;
  let distribution: Record<string, any>;

  beforeAll(() => {
    ({ stack, template } = synth());
    distribution = only(template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
  }, 300_000);

  describe('the web ACL', () => {
    it('is a CloudFront web ACL with a per-IP rate rule on the API that blocks, with metrics', () => {
      // Prepare
      const acl = only(template, 'AWS::WAFv2::WebACL').Properties;
      const rate = (acl.Rules as any[]).filter((rule) => rule.Statement.RateBasedStatement);

      // Assess
      expect(acl.Scope).toBe('CLOUDFRONT');
      expect(acl.DefaultAction).toEqual({ Allow: {} });
      expect(rate).toHaveLength(1);
      expect(rate[0].Action.Block).toBeDefined();
      expect(rate[0].Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: PER_IP_RATE_LIMIT });
      expect(JSON.stringify(rate[0].Statement.RateBasedStatement.ScopeDownStatement)).toContain('"/v1/"');
      expect(PER_IP_RATE_LIMIT).toBeLessThan(API_THROTTLE.rateLimit * (rate[0].Statement.RateBasedStatement.EvaluationWindowSec ?? 300));
      expect(acl.VisibilityConfig.CloudWatchMetricsEnabled).toBe(true);
      for (const rule of acl.Rules as any[]) expect({ rule: rule.Name, metrics: rule.VisibilityConfig.CloudWatchMetricsEnabled }).toEqual({ rule: rule.Name, metrics: true });
    });

    it('applies the AWS managed common, known-bad-inputs and IP reputation rule groups', () => {
      // Prepare
      const acl = only(template, 'AWS::WAFv2::WebACL').Properties;
      const groups = (acl.Rules as any[]).filter((rule) => rule.Statement.ManagedRuleGroupStatement);

      // Assess
      expect(groups.map((rule) => rule.Statement.ManagedRuleGroupStatement.Name).sort()).toEqual([...MANAGED_GROUPS].sort());
      for (const rule of groups) {
        expect(rule.Statement.ManagedRuleGroupStatement.VendorName).toBe('AWS');
        // The groups' own actions apply (no group set to count only).
        expect(rule.OverrideAction).toEqual({ None: {} });
      }
      const priorities = (acl.Rules as any[]).map((rule) => rule.Priority);
      expect(new Set(priorities).size).toBe(priorities.length);
    });

    it('logs what it blocks or counts to an aws-waf-logs- log group, without the Authorization header', () => {
      // Prepare
      const logging = only(template, 'AWS::WAFv2::LoggingConfiguration').Properties;

      // Assess
      expect(logging.ResourceArn).toEqual(arnOf(stack.getLogicalId(stack.edgeWebAcl!.webAcl)));
      const logGroupId = logicalIdOf(stack.edgeWebAcl!.logs);
      expect(template.toJSON().Resources[logGroupId].Properties.LogGroupName).toMatch(/^aws-waf-logs-/);
      // WAF takes the log group's ARN without CDK's trailing `:*`.
      expect(JSON.stringify(logging.LogDestinationConfigs)).toContain(`":log-group:",{"Ref":"${logGroupId}"}]]}]`);
      expect(logging.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }]);
    });

    it('guards the console\'s distribution', () => {
      // Assess
      expect(distribution.WebACLId).toEqual(arnOf(stack.getLogicalId(stack.edgeWebAcl!.webAcl)));
    });

    it('can only be deployed in us-east-1 (a template rule), where CloudFront web ACLs exist', () => {
      // Assess
      const rules = template.toJSON().Rules as Record<string, { Assertions: { Assert: unknown }[] }>;
      expect(Object.values(rules).flatMap((rule) => rule.Assertions.map((a) => a.Assert))).toContainEqual({
        'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'],
      });
    });
  });

  describe('the /v1/* behaviour', () => {
    const apiBehavior = () => (distribution.CacheBehaviors as any[]).find((b) => b.PathPattern === '/v1/*');
    const apiOrigin = () => (distribution.Origins as any[]).find((o) => o.Id === apiBehavior().TargetOriginId);

    it('sends every method to the people API uncached, with every viewer header but Host (Authorization included)', () => {
      // Assess
      expect(apiBehavior()).toMatchObject({
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        ViewerProtocolPolicy: 'https-only',
      });
      expect(JSON.stringify(apiOrigin().DomainName)).toContain(logicalIdOf(stack.api.httpApi));
      expect(apiOrigin().CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    });

    it('passes the viewer\'s IP address on in its own header, overwriting any the viewer sent (a CloudFront Function)', () => {
      // Prepare
      const association = (apiBehavior().FunctionAssociations as { EventType: string; FunctionARN: unknown }[]) ?? [];
      const fn = only(template, 'AWS::CloudFront::Function').Properties;
      const handler = new Function(`${fn.FunctionCode as string}\nreturn handler;`)() as (event: unknown) => { headers: Record<string, { value: string }> };

      // Act
      const request = handler({ viewer: { ip: '198.51.100.23' }, request: { headers: { [VIEWER_IP_HEADER]: { value: '10.0.0.1' }, host: { value: 'x' } } } });

      // Assess
      expect(association).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::CloudFront::Function'))[0], 'FunctionARN'] } }]);
      expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
      expect(request.headers[VIEWER_IP_HEADER]).toEqual({ value: '198.51.100.23' });
      expect(request.headers.host).toEqual({ value: 'x' });
    });

    it('adds the origin header from the stack\'s secret, as a dynamic reference (the value is not in the template)', () => {
      // Prepare
      const headers = apiOrigin().OriginCustomHeaders as { HeaderName: string; HeaderValue: unknown }[];

      // Assess
      expect(headers.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
      const value = JSON.stringify(headers[0]!.HeaderValue);
      expect(value).toContain('{{resolve:secretsmanager:');
      expect(value).toContain(JSON.stringify({ Ref: logicalIdOf(stack.originSecret) }));
      template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } });
    });
  });

  describe('the people authorizer', () => {
    it('may read the origin secret\'s value, that one secret only, and nothing else in Secrets Manager', () => {
      // Prepare
      const statements = statementsOfRole(template, logicalIdOf(stack.peopleAuthorizer.lambda.role)).filter((s) =>
        JSON.stringify(s.Action).includes('secretsmanager:'),
      );

      // Assess
      expect(statements).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: logicalIdOf(stack.originSecret) } })]);
    });

    it('requires the origin header (the check is on in AWS)', () => {
      // Prepare
      const env = template.toJSON().Resources[logicalIdOf(stack.peopleAuthorizer.lambda.fn)].Properties.Environment.Variables;

      // Assess
      expect(env[ENV.originCheck]).toBe('secret');
      expect(env[ENV.originSecretArn]).toEqual({ Ref: logicalIdOf(stack.originSecret) });
    });
  });

  describe('the APIs', () => {
    it('give people the CloudFront URL: the ApiUrl output and the console\'s config.json are the distribution\'s origin', () => {
      // Prepare
      const outputs = template.toJSON().Outputs;
      const deployment = only(template, 'Custom::CDKBucketDeployment').Properties;

      // Assess
      expect(outputs.ApiUrl.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.console.distribution), 'DomainName'] }]] });
      expect(JSON.stringify(deployment.SourceMarkers)).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.console.distribution), 'DomainName'] }));
      expect(JSON.stringify(deployment.SourceMarkers)).not.toContain(logicalIdOf(stack.api.httpApi));
    });

    it('allow no CORS on the people API, and the console\'s CSP connects to no execute-api domain', () => {
      // Prepare
      const policy = only(template, 'AWS::CloudFront::ResponseHeadersPolicy').Properties;

      // Assess
      expect(template.toJSON().Resources[logicalIdOf(stack.api.httpApi)].Properties.CorsConfiguration).toBeUndefined();
      expect(JSON.stringify(policy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy)).not.toContain('execute-api');
    });

    it('throttle the IAM API explicitly, as WAF cannot be attached to an HTTP API', () => {
      // Prepare
      const stage = template.toJSON().Resources[logicalIdOf(stack.iamApi.stage)].Properties;

      // Assess
      expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit });
      expect(Object.keys(stage.RouteSettings ?? {}).length).toBeGreaterThan(0);
    });
  });
});

describe('the vault synthesized for eu-west-1 (the web ACL in a us-east-1 edge stack)', () => {
  let built: ReturnType<typeof synth>;

  beforeAll(() => {
    built = synth('eu-west-1');
  }, 300_000);

  it('builds the web ACL and its logs in the edge stack, in us-east-1, and none in the vault\'s stack', () => {
    // Assess
    expect(built.edge?.stackName).toBe(EDGE_STACK_ID);
    expect(built.edge?.region).toBe('us-east-1');
    built.edgeTemplate!.resourceCountIs('AWS::WAFv2::WebACL', 1);
    built.edgeTemplate!.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
    built.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(JSON.stringify(built.template.toJSON().Rules)).not.toContain('AWS::Region');
  });

  it('reads the web ACL\'s ARN from the edge stack across regions, and deploys after it', () => {
    // Prepare
    const distribution = only(built.template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;

    // Assess
    expect(distribution.WebACLId).toEqual({
      'Fn::GetStackOutput': expect.objectContaining({ StackName: EDGE_STACK_ID, Region: 'us-east-1' }),
    });
    const outputName = distribution.WebACLId['Fn::GetStackOutput'].OutputName as string;
    expect(built.edgeTemplate!.toJSON().Outputs[outputName].Value).toEqual(arnOf(built.edge!.getLogicalId(built.edge!.webAcl.webAcl)));
    expect(built.stack.dependencies.map((s) => s.stackName)).toContain(EDGE_STACK_ID);
  });

  it('leaves no error or warning annotation on either stack (cdk-nag ran as a plugin during synthesis)', () => {
    // Prepare
    const assembly = built.app.synth();
    const problems = [built.stack, built.edge!].flatMap((s) =>
      assembly.getStackArtifact(s.artifactId).messages.filter((m) => m.level !== 'info').map((m) => `${s.stackName} ${m.level} ${m.id}: ${String(m.entry.data)}`),
    );

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('a vault stack in a region other than us-east-1 without an edge stack', () => {
  it('is refused at synthesis rather than left without its web ACL', () => {
    // Act
    const build = () => new OtpVaultStack(new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } }), 'Elsewhere', { env: { region: 'eu-west-1' } });

    // Assess
    expect(build).toThrow(/us-east-1/);
  });
});

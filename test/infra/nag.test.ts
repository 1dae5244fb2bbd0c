import { rmSync } from 'node:fs';
import { Validations } from 'aws-cdk-lib';
import type { App, PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createOtpVaultApp } from '../../infra/otpVaultApp';
import type { OtpVaultStack } from '../../infra/stack';
import type { RouteDefinition } from '../../shared/api/route';
import { routes } from '../../shared/api/routes';
import { ARCHIVE_PREFIX } from '../../shared/audit/archive/keys';
import { assetBucketFinding, DEPLOYMENT_HANDLER_FINDINGS } from '../../infra/constructs/console';
import { cdkJsonContext, logicalIdOf, temporaryOutdir } from './synthHelpers';

/**
 * cdk-nag v3 runs as a policy-validation plugin: its findings go to the cloud assembly's validation
 * report (and fail synthesis), not to annotations. So the app is built exactly as `infra/app.ts`
 * builds it and synthesized, then the AwsSolutions pack is also run directly on the finished tree
 * to list any finding by rule and path. Bundling is skipped (the bundles do not change any finding),
 * and CDK's built-in CloudFormation validation, off in the CLI for speed, is on here.
 */

let outdir: string;
let app: App;
let stack: OtpVaultStack;
let assembly: ReturnType<App['synth']> | undefined;
let synthError: unknown;

beforeAll(() => {
  // Prepare
  outdir = temporaryOutdir();
  ({ app, stack } = createOtpVaultApp({
    appProps: {
      outdir,
      context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
      builtinCloudFormationValidation: true,
    },
  }));
  // Act
  try {
    assembly = app.synth();
  } catch (error) {
    synthError = error;
  }
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const describeViolation = (v: PolicyViolation): string =>
  `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`;

describe('cdk-nag AwsSolutions', () => {
  it('lets the app synthesize with the AwsSolutions pack and CloudFormation validation plugged in', () => {
    // Assess
    expect(synthError === undefined ? 'synthesized' : String(synthError)).toBe('synthesized');
  });

  it('finds no unacknowledged error or warning', () => {
    // Act
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    // Assess
    expect(report.violations.map(describeViolation)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives a reason for every acknowledged rule', () => {
    // Prepare
    const acknowledged = app.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
          .map(([id, reason]) => ({ path: construct.node.path, id, reason })),
      );
    // Assess
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect({ path, id, reasonLongerThan10: reason.trim().length > 10 }).toEqual({ path, id, reasonLongerThan10: true });
    }
  });

  it('acknowledges only the rules it has a reason for, on the constructs they are about', () => {
    // Prepare
    const actual: string[] = [];
    for (const construct of app.node.findAll()) {
      for (const entry of construct.node.metadata.filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
        for (const id of Object.keys(entry.data as Record<string, string>)) actual.push(`${id.replace(/^annotation::/i, '')} @ ${construct.node.path}`);
      }
    }
    const routeTable: readonly RouteDefinition[] = routes;
    const consumer = stack.auditConsumer.lambda;
    const alerts = stack.alerts.lambda;
    const archiveReaders = [...routeTable.filter((r) => r.grants.archive).map((r) => stack.functions.lambdaFor(r.op)), consumer];
    const bucketId = logicalIdOf(stack.archive.bucket);
    const expected = [
      // Node.js 22 rather than 24: every function (routes, the consumer, the people authorizer, the refusal sweeper).
      ...[...routeTable.map((r) => stack.functions.lambdaFor(r.op)), consumer, alerts, stack.peopleAuthorizer.lambda, stack.refusalSweeper.lambda].map((l) => `AwsSolutions-L1 @ ${l.fn.node.path}`),
      // Routes the route table declares public, on both APIs.
      ...[stack.api, stack.iamApi].flatMap((api) =>
        routeTable.filter((r) => r.auth === 'none').map((r) => `AwsSolutions-APIG4 @ ${api.routeFor(r.op).node.path}`),
      ),
      // CloudTrail lookups cannot be scoped to a resource.
      ...routeTable
        .filter((r) => r.grants.cloudTrail?.length)
        .map((r) => `AwsSolutions-IAM5[Resource::*] @ ${stack.functions.lambdaFor(r.op).role.node.path}`),
      // Archive objects, per prefix, for whoever reads or writes them.
      ...archiveReaders.flatMap((l) =>
        Object.values(ARCHIVE_PREFIX).map((prefix) => `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*] @ ${l.role.node.path}`),
      ),
      `AwsSolutions-S1 @ ${stack.archive.accessLogs.node.path}`,
      `AwsSolutions-SQS3 @ ${stack.auditConsumer.deadLetters.node.path}`,
      `AwsSolutions-SQS3 @ ${stack.alerts.deadLetters.node.path}`,
      // The cursor key is resolved into the environment at deploy: rotation would only invalidate open cursors.
      `AwsSolutions-SMG4 @ ${stack.node.path}/CursorKey`,
      // CloudFront takes the origin header's value at deploy: rotation outside a deploy would refuse every request.
      `AwsSolutions-SMG4 @ ${stack.originSecret.node.path}`,
      // The web console: its log bucket, its distribution, and CDK's own deployment handler.
      `AwsSolutions-S1 @ ${stack.console.logs.node.path}`,
      // Not CFR2: the distribution has the WAF web ACL.
      ...['CFR1', 'CFR4'].map((rule) => `AwsSolutions-${rule} @ ${stack.console.distribution.node.path}`),
      ...[...Object.keys(DEPLOYMENT_HANDLER_FINDINGS), assetBucketFinding(stack), `AwsSolutions-IAM5[Resource::<${logicalIdOf(stack.console.bucket)}.Arn>/*]`].map(
        (id) => `${id} @ ${stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))?.node.path}`,
      ),
    ];
    // Assess
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('leaves no error or warning annotation on the stack', () => {
    // Assess
    const messages = assembly?.getStackArtifact(stack.artifactId).messages ?? [];
    const problems = messages.filter((m) => m.level !== 'info').map((m) => `${m.level} ${m.id}: ${String(m.entry.data)}`);
    expect(problems).toEqual([]);
  });
});

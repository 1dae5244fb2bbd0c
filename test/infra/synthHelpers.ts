import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createOtpVaultApp } from '../../infra/otpVaultApp';
import type { OtpVaultStack } from '../../infra/stack';
import { REPO_ROOT } from '../../infra/projectPaths';

/** The feature flags and context the CLI synthesizes with (`cdk.json`), so tests see the same template. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

const outdirs: string[] = [];
// A synthesis with bundling leaves about 25 MB here: a test run left hundreds of MB in the temp dir.
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh cloud-assembly folder (bundles land here, not in the repo's cdk.out), removed after the test file. */
export function temporaryOutdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'otpvault-synth-'));
  outdirs.push(dir);
  return dir;
}

/**
 * The vault's stack synthesized as `cdk synth` would, but without bundling the functions: for tests
 * that assert on the template's shape only (bundles are tested where they matter).
 */
export function synthWithoutBundling(): { stack: OtpVaultStack; template: Template } {
  const { app, stack } = createOtpVaultApp({ appProps: { outdir: temporaryOutdir(), context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } } });
  return { stack, template: Template.fromJSON(app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>) };
}

/** Logical id of the CloudFormation resource behind an L2 construct. */
export function logicalIdOf(construct: IConstruct): string {
  const child = construct.node.defaultChild;
  if (!(child instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(child);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of every IAM policy attached to the role with logical id `roleId`. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** `{ "Fn::GetAtt": [id, "Arn"] }`, how the template points at a resource's ARN. */
export const arnOf = (logicalId: string): unknown => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** True when `resource` is (or is built from) the ARN of the resource with logical id `logicalId`. */
export function refersTo(resource: unknown, logicalId: string): boolean {
  return JSON.stringify(resource).includes(JSON.stringify(arnOf(logicalId)));
}

import { App, Validations } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EDGE_REGION } from './constructs/edgeWebAcl';
import { OtpVaultEdgeStack } from './edgeStack';
import { OtpVaultStack } from './stack';
import type { OtpVaultStackProps } from './stack';

/** Construct id (and default CloudFormation stack name) of the backend stack. */
export const STACK_ID = 'OtpVault';
/** Construct id (and stack name) of the us-east-1 stack holding the CloudFront web ACL, when the vault is elsewhere. */
export const EDGE_STACK_ID = 'OtpVaultEdge';

export interface OtpVaultAppOptions {
  /**
   * Passed to `new App(...)`; tests pass cdk.json's context and an outdir here.
   * `builtinCloudFormationValidation` defaults to `false` here (see {@link createOtpVaultApp}).
   */
  readonly appProps?: AppProps;
  readonly stackProps?: OtpVaultStackProps;
}

/**
 * Builds the app the CLI synthesizes: the otpvault stack, checked by cdk-nag's AwsSolutions pack as a
 * policy-validation plugin (any unacknowledged finding fails synthesis).
 *
 * CloudFront's web ACL can only be created in us-east-1. When the vault's stack is given another
 * region (`stackProps.env.region`; `infra/app.ts` passes the CLI's region), a second stack,
 * `OtpVaultEdge` in us-east-1, holds the web ACL and the vault's stack reads its ARN across regions.
 * In us-east-1, or without a region (tests), the vault's stack holds the web ACL itself.
 *
 * CDK's built-in CloudFormation schema validation is off by default: it costs about nine CPU-seconds
 * per synth (a WASM engine) against a few for everything else, and CloudFormation validates again at
 * deploy. The cdk-nag test turns it on, so CI still runs it on every change.
 */
export function createOtpVaultApp(options: OtpVaultAppOptions = {}): { app: App; stack: OtpVaultStack; edge?: OtpVaultEdgeStack } {
  const app = new App({ builtinCloudFormationValidation: false, ...options.appProps });
  const region = options.stackProps?.env?.region;
  const edge =
    region !== undefined && region !== EDGE_REGION
      ? new OtpVaultEdgeStack(app, EDGE_STACK_ID, {
          description: 'otpvault: the CloudFront web ACL of the console and the people API (us-east-1 only)',
          env: { account: options.stackProps?.env?.account },
        })
      : undefined;
  const stack = new OtpVaultStack(app, STACK_ID, {
    description: 'otpvault: shared-OTP vault (API, functions, tables, keys, user pool)',
    ...options.stackProps,
    ...(edge && { webAclArn: edge.webAcl.arn }),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, ...(edge && { edge }) };
}

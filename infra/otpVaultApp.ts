import { App, Validations } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OtpVaultStack } from './stack';
import type { OtpVaultStackProps } from './stack';

/** Construct id (and default CloudFormation stack name) of the backend stack. */
export const STACK_ID = 'OtpVault';

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
 * CDK's built-in CloudFormation schema validation is off by default: it costs about nine CPU-seconds
 * per synth (a WASM engine) against a few for everything else, and CloudFormation validates again at
 * deploy. The cdk-nag test turns it on, so CI still runs it on every change.
 */
export function createOtpVaultApp(options: OtpVaultAppOptions = {}): { app: App; stack: OtpVaultStack } {
  const app = new App({ builtinCloudFormationValidation: false, ...options.appProps });
  const stack = new OtpVaultStack(app, STACK_ID, {
    description: 'otpvault: shared-OTP vault (API, functions, tables, keys, user pool)',
    ...options.stackProps,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

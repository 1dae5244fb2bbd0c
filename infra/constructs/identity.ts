import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Cognito group whose members administer the vault. */
export const ADMINS_GROUP = 'admins';

/**
 * Who may call the API: a Cognito user pool that only admins populate (no self sign-up), with a
 * strong password policy, TOTP MFA required and threat protection enforced (Plus feature plan), and
 * one public client (no secret) that signs in with SRP (console) or USER_PASSWORD_AUTH (the CLI) and
 * presents access tokens.
 */
export class VaultIdentity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly adminsGroup: UserPoolGroup;
  /** Issuer of the pool's tokens, as API Gateway's JWT authorizer and aws-jwt-verify expect it. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.client = this.userPool.addClient('ApiClient', {
      generateSecret: false,
      // USER_PASSWORD_AUTH for `otpvault login` (the CLI has no SRP); the password travels over TLS only to Cognito.
      authFlows: { userSrp: true, userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(30),
      idTokenValidity: Duration.minutes(30),
      refreshTokenValidity: Duration.hours(12),
    });
    this.adminsGroup = this.userPool.addGroup('AdminsGroup', {
      groupName: ADMINS_GROUP,
      description: 'otpvault administrators',
    });
    this.issuerUrl = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}

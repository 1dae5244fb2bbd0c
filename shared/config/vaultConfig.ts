import { AUDIT_TABLE, EVENTS_TABLE, VAULT_TABLE } from '../store/tables';
import { enumEnv, optionalEnv, requiredEnv } from './env';

/** Names of the environment variables, shared by the CDK stack, the local runner and the Lambdas. */
export const ENV = {
  region: 'AWS_REGION',
  kmsKeyId: 'OTPVAULT_KMS_KEY_ID',
  /** Local only: endpoint overrides that point the real SDK clients at the local stack. */
  dynamoDbEndpoint: 'OTPVAULT_DYNAMODB_ENDPOINT',
  kmsEndpoint: 'OTPVAULT_KMS_ENDPOINT',
  /** Local only: CloudTrail LookupEvents endpoint (the KMS emulator answers it); unset in AWS. */
  cloudTrailEndpoint: 'OTPVAULT_CLOUDTRAIL_ENDPOINT',
  /** Comma-separated identities the vault's functions call KMS Decrypt as (audit reconciliation). */
  vaultDecryptCallers: 'OTPVAULT_VAULT_DECRYPT_CALLERS',
  authMode: 'OTPVAULT_AUTH_MODE',
  userPoolId: 'OTPVAULT_USER_POOL_ID',
  /** App client ids whose access tokens the authorizer accepts, comma-separated (API client, web console). */
  userPoolClientId: 'OTPVAULT_USER_POOL_CLIENT_ID',
  localIssuer: 'OTPVAULT_LOCAL_ISSUER',
  localJwksFile: 'OTPVAULT_LOCAL_JWKS_FILE',
  logLevel: 'OTPVAULT_LOG_LEVEL',
  /** Audit archive (stream consumer and verify only; read by `loadAuditConfig`). */
  archiveBucket: 'OTPVAULT_ARCHIVE_BUCKET',
  /** Local only: endpoint of the S3-compatible server of the local stack. */
  s3Endpoint: 'OTPVAULT_S3_ENDPOINT',
  /** Customer-managed key for SSE-KMS on archive writes (unset locally: the local server ignores SSE). */
  archiveKeyId: 'OTPVAULT_ARCHIVE_KEY_ID',
  /** Asymmetric KMS key (ECC_NIST_P256) that signs the archive's digests. */
  auditSigningKeyId: 'OTPVAULT_AUDIT_SIGNING_KEY_ID',
} as const;

export type AuthConfig =
  | { mode: 'cognito'; userPoolId: string; clientId: string }
  | { mode: 'local'; issuer: string; jwksFile: string };

export interface VaultConfig {
  region: string;
  tables: { vault: string; events: string; audit: string };
  kmsKeyId: string;
  endpoints: { dynamoDb?: string; kms?: string; cloudTrail?: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** See ENV.vaultDecryptCallers; empty when not configured. */
  vaultDecryptCallers: string[];
}

/** Who issues the bearer tokens the vault accepts (read by the people authorizer, `loadAuthorizerConfig`). */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const mode = enumEnv(ENV.authMode, ['cognito', 'local'] as const, 'cognito', env);
  return mode === 'cognito'
    ? { mode, userPoolId: requiredEnv(ENV.userPoolId, env), clientId: requiredEnv(ENV.userPoolClientId, env) }
    : { mode, issuer: requiredEnv(ENV.localIssuer, env), jwksFile: requiredEnv(ENV.localJwksFile, env) };
}

/**
 * Reads the configuration of route functions once per cold start. They never verify tokens (the
 * authorizer did), so they need no token-issuer settings.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): VaultConfig {
  return {
    region: optionalEnv(ENV.region, env) ?? 'us-east-1',
    tables: {
      vault: requiredEnv(VAULT_TABLE.envVar, env),
      events: requiredEnv(EVENTS_TABLE.envVar, env),
      audit: requiredEnv(AUDIT_TABLE.envVar, env),
    },
    kmsKeyId: requiredEnv(ENV.kmsKeyId, env),
    endpoints: {
      dynamoDb: optionalEnv(ENV.dynamoDbEndpoint, env),
      kms: optionalEnv(ENV.kmsEndpoint, env),
      cloudTrail: optionalEnv(ENV.cloudTrailEndpoint, env),
    },
    logLevel: enumEnv(ENV.logLevel, ['debug', 'info', 'warn', 'error'] as const, 'info', env),
    vaultDecryptCallers: (optionalEnv(ENV.vaultDecryptCallers, env) ?? '').split(',').map((c) => c.trim()).filter(Boolean),
  };
}

import { AUDIT_TABLE } from '../store/tables';
import { enumEnv, optionalEnv, requiredEnv } from './env';
import { ENV } from './vaultConfig';

/**
 * What the audit pipeline needs: the audit table, the archive bucket and the digest-signing key.
 * Only the stream consumer and the verify operation read it, so HTTP handlers that never touch
 * the archive keep working without these variables.
 */
export interface AuditConfig {
  region: string;
  /** Physical name of the audit table (`OTPVAULT_TABLE_AUDIT`). */
  auditTable: string;
  /** Bucket holding `events/` and `digests/` (`OTPVAULT_ARCHIVE_BUCKET`). */
  archiveBucket: string;
  /** Key for SSE-KMS on archive writes (`OTPVAULT_ARCHIVE_KEY_ID`); without it the request names no key. */
  archiveKeyId?: string;
  /** Id or ARN of the ECC_NIST_P256 signing key (`OTPVAULT_AUDIT_SIGNING_KEY_ID`). */
  signingKeyId: string;
  /** Local only: endpoint overrides. */
  endpoints: { dynamoDb?: string; kms?: string; s3?: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * Reads the audit configuration once per cold start.
 *
 * @param env - Environment to read. @default process.env
 * @throws Error naming the first missing variable.
 * @example
 * const config = loadAuditConfig();
 */
export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return {
    region: optionalEnv(ENV.region, env) ?? 'us-east-1',
    auditTable: requiredEnv(AUDIT_TABLE.envVar, env),
    archiveBucket: requiredEnv(ENV.archiveBucket, env),
    archiveKeyId: optionalEnv(ENV.archiveKeyId, env),
    signingKeyId: requiredEnv(ENV.auditSigningKeyId, env),
    endpoints: {
      dynamoDb: optionalEnv(ENV.dynamoDbEndpoint, env),
      kms: optionalEnv(ENV.kmsEndpoint, env),
      s3: optionalEnv(ENV.s3Endpoint, env),
    },
    logLevel: enumEnv(ENV.logLevel, ['debug', 'info', 'warn', 'error'] as const, 'info', env),
  };
}

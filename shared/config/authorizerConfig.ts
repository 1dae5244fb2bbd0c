import { EVENTS_TABLE, VAULT_TABLE } from '../store/tables';
import { enumEnv, optionalEnv, requiredEnv } from './env';
import { ENV, loadAuthConfig, type AuthConfig } from './vaultConfig';

/**
 * Whether the people authorizer requires CloudFront's origin header (shared/auth/originGate.ts):
 * in AWS it does, with the value kept in a Secrets Manager secret; the local runner has no CloudFront
 * and turns the check off.
 */
export type OriginCheckConfig = { mode: 'secret'; secretArn: string } | { mode: 'off' };

/**
 * What the people authorizer (`lambdas/authorizer`) needs, and nothing more: who issues tokens,
 * where requests must come from, the audit outbox it records rejected tokens in, and the vault table
 * where repeated refusals are counted (refusal windows: the only items it may write there). It never
 * reads the vault or the seed key.
 */
export interface AuthorizerConfig {
  region: string;
  auth: AuthConfig;
  originCheck: OriginCheckConfig;
  /** Physical name of the audit outbox (`OTPVAULT_TABLE_EVENTS`). */
  eventsTable: string;
  /** Physical name of the vault table (`OTPVAULT_TABLE_VAULT`), for the refusal windows only. */
  vaultTable: string;
  /** Local only: the DynamoDB endpoint override. */
  endpoints: { dynamoDb?: string };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * Reads the authorizer's configuration once per cold start.
 *
 * @param env - Environment to read. @default process.env
 * @throws Error naming the first missing variable.
 * @example
 * const config = loadAuthorizerConfig();
 */
export function loadAuthorizerConfig(env: NodeJS.ProcessEnv = process.env): AuthorizerConfig {
  return {
    region: optionalEnv(ENV.region, env) ?? 'us-east-1',
    auth: loadAuthConfig(env),
    originCheck: loadOriginCheck(env),
    eventsTable: requiredEnv(EVENTS_TABLE.envVar, env),
    vaultTable: requiredEnv(VAULT_TABLE.envVar, env),
    endpoints: { dynamoDb: optionalEnv(ENV.dynamoDbEndpoint, env) },
    logLevel: enumEnv(ENV.logLevel, ['debug', 'info', 'warn', 'error'] as const, 'info', env),
  };
}

/** Secure by default: only an explicit `off` skips the check, and `secret` needs the secret's ARN. */
function loadOriginCheck(env: NodeJS.ProcessEnv): OriginCheckConfig {
  const mode = enumEnv(ENV.originCheck, ['secret', 'off'] as const, 'secret', env);
  return mode === 'off' ? { mode } : { mode, secretArn: requiredEnv(ENV.originSecretArn, env) };
}

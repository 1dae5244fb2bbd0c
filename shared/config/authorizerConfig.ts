import { EVENTS_TABLE, VAULT_TABLE } from '../store/tables';
import { enumEnv, optionalEnv, requiredEnv } from './env';
import { ENV, loadAuthConfig, type AuthConfig } from './vaultConfig';

/**
 * What the people authorizer (`lambdas/authorizer`) needs, and nothing more: who issues tokens,
 * the audit outbox it records rejected tokens in, and the vault table where repeated refusals are
 * counted (refusal windows: the only items it may write there). It never reads the vault or the seed key.
 */
export interface AuthorizerConfig {
  region: string;
  auth: AuthConfig;
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
    eventsTable: requiredEnv(EVENTS_TABLE.envVar, env),
    vaultTable: requiredEnv(VAULT_TABLE.envVar, env),
    endpoints: { dynamoDb: optionalEnv(ENV.dynamoDbEndpoint, env) },
    logLevel: enumEnv(ENV.logLevel, ['debug', 'info', 'warn', 'error'] as const, 'info', env),
  };
}

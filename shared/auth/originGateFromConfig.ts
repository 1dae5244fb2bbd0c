import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AuthorizerConfig } from '../config/authorizerConfig';
import { createLogger } from '../log/logger';
import { vaultMetrics } from '../observability/metrics';
import { OPEN_ORIGIN_GATE, secretOriginGate, type OriginGate } from './originGate';

/**
 * The origin gate the configuration asks for: CloudFront's header checked against the Secrets
 * Manager secret in AWS, none locally (`OTPVAULT_ORIGIN_CHECK=off`).
 *
 * @param config - From `loadAuthorizerConfig`.
 * @example
 * const gate = originGateFromConfig(loadAuthorizerConfig());
 */
export function originGateFromConfig(config: AuthorizerConfig): OriginGate {
  const check = config.originCheck;
  if (check.mode === 'off') return OPEN_ORIGIN_GATE;
  const log = createLogger({ level: config.logLevel, service: 'otpvault-authorizer' });
  const client = new SecretsManagerClient({ region: config.region, maxAttempts: 3 });
  const readSecret = async (): Promise<string> => {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: check.secretArn }));
    if (SecretString === undefined) throw new Error('the origin verification secret has no string value');
    return SecretString;
  };
  return secretOriginGate(readSecret, log, vaultMetrics.originBypassRefused);
}

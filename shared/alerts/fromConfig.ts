import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '../aws/clients';
import { enumEnv, optionalEnv, requiredEnv } from '../config/env';
import { ENV } from '../config/vaultConfig';
import { createLogger } from '../log/logger';
import { VAULT_TABLE } from '../store/tables';
import { AlertMarkers, AlertPublisher } from './AlertPublisher';
import { ALERT_ENV } from './env';
import { EventBridgeSink, JsonLinesSink, type AlertSink } from './sinks';

export { ALERT_ENV } from './env';


/**
 * The publisher wired to the bus (or, locally, the JSON Lines file) and the markers in the vault table.
 *
 * @throws Error naming the missing variable when neither a bus nor a file is configured.
 */
export function alertPublisher(env: NodeJS.ProcessEnv = process.env): AlertPublisher {
  const region = optionalEnv(ENV.region, env) ?? 'us-east-1';
  const log = createLogger({ level: enumEnv(ENV.logLevel, ['debug', 'info', 'warn', 'error'] as const, 'info', env), service: 'otpvault-alerts' });
  const file = optionalEnv(ALERT_ENV.file, env);
  const sink: AlertSink = file
    ? new JsonLinesSink(file, optionalEnv(ALERT_ENV.print, env) === '1' ? (line) => console.log(line) : undefined)
    : new EventBridgeSink(new EventBridgeClient({ region }), requiredEnv(ALERT_ENV.bus, env));
  const db = createDocumentClient({ region, endpoints: { dynamoDb: optionalEnv(ENV.dynamoDbEndpoint, env), kms: undefined } });
  return new AlertPublisher(sink, new AlertMarkers(db, requiredEnv(VAULT_TABLE.envVar, env)), log);
}

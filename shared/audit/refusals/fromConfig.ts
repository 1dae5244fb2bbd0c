import { createDocumentClient } from '../../aws/clients';
import { systemClock } from '../../clock';
import { enumEnv, optionalEnv, requiredEnv } from '../../config/env';
import { ENV } from '../../config/vaultConfig';
import { createLogger } from '../../log/logger';
import { EVENTS_TABLE, VAULT_TABLE } from '../../store/tables';
import { DynamoAuditOutbox } from '../AuditOutbox';
import { RefusalWindows } from './RefusalWindows';
import { sweepRefusalWindows, type SweepReport } from './sweep';

/**
 * The sweeper wired to the vault table (the windows) and the audit outbox, on the system clock.
 * Reads only the region, the two table names, the local DynamoDB endpoint and the log level.
 *
 * @throws Error naming the first missing variable.
 * @example
 * const sweep = refusalSweeperFromConfig();
 * const report = await sweep();
 */
export function refusalSweeperFromConfig(env: NodeJS.ProcessEnv = process.env): () => Promise<SweepReport> {
  const region = optionalEnv(ENV.region, env) ?? 'us-east-1';
  const log = createLogger({ level: enumEnv(ENV.logLevel, ['debug', 'info', 'warn', 'error'] as const, 'info', env), service: 'otpvault-refusal-sweeper' });
  const db = createDocumentClient({ region, endpoints: { dynamoDb: optionalEnv(ENV.dynamoDbEndpoint, env), kms: undefined } });
  const windows = new RefusalWindows(db, requiredEnv(VAULT_TABLE.envVar, env));
  const outbox = new DynamoAuditOutbox(db, requiredEnv(EVENTS_TABLE.envVar, env));
  return () => sweepRefusalWindows({ windows, outbox, clock: systemClock, log });
}

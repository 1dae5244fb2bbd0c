import { DynamoAuditOutbox } from '../audit/AuditOutbox';
import { RefusalWindows } from '../audit/refusals/RefusalWindows';
import { createDocumentClient } from '../aws/clients';
import { systemClock } from '../clock';
import type { AuthorizerConfig } from '../config/authorizerConfig';
import { createLogger } from '../log/logger';
import { TokenAuthorizer } from './TokenAuthorizer';
import { createTokenVerifier } from './tokenVerifier';

/**
 * The token authorizer wired to the configured issuer (Cognito in AWS, the local issuer locally)
 * and the audit outbox, counting repeated refusals in the refusal windows of the vault table.
 *
 * @param config - From `loadAuthorizerConfig`.
 * @example
 * const authorizer = tokenAuthorizerFromConfig(loadAuthorizerConfig());
 */
export function tokenAuthorizerFromConfig(config: AuthorizerConfig): TokenAuthorizer {
  const log = createLogger({ level: config.logLevel, service: 'otpvault-authorizer' });
  const db = createDocumentClient(config);
  const outbox = new DynamoAuditOutbox(db, config.eventsTable);
  return new TokenAuthorizer(createTokenVerifier(config.auth), outbox, systemClock, log, new RefusalWindows(db, config.vaultTable));
}

import { createDocumentClient } from '../../aws/clients';
import type { AuditConfig } from '../../config/auditConfig';
import { createLogger } from '../../log/logger';
import { archiveServices } from '../archive';
import { AuditLogWriter } from './AuditLogWriter';
import { AuditStreamConsumer } from './AuditStreamConsumer';

/**
 * The stream consumer wired to the audit table, the S3 archive and the KMS signing key.
 *
 * @param config - From `loadAuditConfig`.
 * @example
 * const consumer = auditStreamConsumer(loadAuditConfig());
 * const result = await consumer.consume(event.Records);
 */
export function auditStreamConsumer(config: AuditConfig): AuditStreamConsumer {
  const log = createLogger({ level: config.logLevel, service: 'otpvault-audit' });
  const archive = archiveServices(config, log);
  return new AuditStreamConsumer(new AuditLogWriter(createDocumentClient(config), config.auditTable), archive.writer, archive.store, log);
}

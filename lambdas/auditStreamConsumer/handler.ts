import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { auditStreamConsumer, type AuditStreamConsumer } from '../../shared/audit/consumer';
import { ARCHIVE_SEAL_EVENT, type ArchiveSealEvent } from '../../shared/audit/consumer/sealEvent';
import { loadAuditConfig } from '../../shared/config/auditConfig';

/**
 * Consumes the audit outbox's stream (not an HTTP route): every new event goes to the audit table
 * and the S3 archive; failures are reported per record (`ReportBatchItemFailures`). Its schedule
 * (`ARCHIVE_SEAL_EVENT`, every minute) seals what batches left for a digest.
 */
let consumer: AuditStreamConsumer | undefined;

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse>;
export async function handler(event: ArchiveSealEvent): Promise<void>;
export async function handler(event: DynamoDBStreamEvent | ArchiveSealEvent): Promise<DynamoDBBatchResponse | void> {
  consumer ??= auditStreamConsumer(loadAuditConfig());
  if ('Records' in event) return consumer.consume(event.Records);
  if (event.otpvault !== ARCHIVE_SEAL_EVENT.otpvault) throw new Error('not a stream batch or the archive seal schedule');
  await consumer.sealArchive();
}

import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { auditStreamConsumer, type AuditStreamConsumer } from '../../shared/audit/consumer';
import { loadAuditConfig } from '../../shared/config/auditConfig';

/**
 * Consumes the audit outbox's stream (not an HTTP route): every new event goes to the audit table
 * and the S3 archive; failures are reported per record (`ReportBatchItemFailures`).
 */
let consumer: AuditStreamConsumer | undefined;

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  consumer ??= auditStreamConsumer(loadAuditConfig());
  return consumer.consume(event.Records);
};

import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AlertPublisher } from '../../shared/alerts/AlertPublisher';
import { alertPublisher } from '../../shared/alerts/fromConfig';

/**
 * The second consumer of the audit outbox's stream (not an HTTP route): publishes alerts for
 * `alertOnUse` secrets, access requests and decisions, and low recovery-code stock.
 */
let publisher: AlertPublisher | undefined;

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  publisher ??= alertPublisher();
  return publisher.consume(event.Records);
};

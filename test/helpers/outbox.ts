import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/audit/event';
import { EVENTS_TABLE } from '../../shared/store/tables';
import type { TestVault } from './vault';

/** Reads the audit outbox of a test vault directly (what the handlers wrote, before any consumer). */
export interface OutboxReader {
  /** The events a request left, found by the request id its response carried (`x-request-id`). */
  eventsOf(requestId: string | null): Promise<AuditEvent[]>;
  /** The one event a response's request left; throws unless there is exactly one. */
  onlyEventOf(response: { headers: Headers }): Promise<AuditEvent>;
  close(): void;
}

export function outboxReader(vault: TestVault): OutboxReader {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: vault.stack.dynamoDbEndpoint, region: 'us-east-1' }));
  return {
    async eventsOf(requestId) {
      if (!requestId) throw new Error('the response carried no x-request-id');
      return scanOutbox(db, { FilterExpression: '#r = :r', ExpressionAttributeNames: { '#r': 'requestId' }, ExpressionAttributeValues: { ':r': requestId } });
    },
    async onlyEventOf(response) {
      const events = await this.eventsOf(response.headers.get('x-request-id'));
      if (events.length !== 1) throw new Error(`expected exactly one audit event for the request, found ${events.length}`);
      return events[0] as AuditEvent;
    },
    close: () => db.destroy(),
  };
}

/** Every outbox event the filter keeps, all pages of a consistent-enough scan (tests read after their writes). */
export async function scanOutbox(
  db: DynamoDBDocumentClient,
  filter: Pick<ScanCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new ScanCommand({ TableName: EVENTS_TABLE.localName, ...filter, ExclusiveStartKey: start }));
    events.push(...((out.Items ?? []) as AuditEvent[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return events;
}

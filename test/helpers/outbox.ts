import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamo';
import { toStreamEvent } from '../../local/streamEvent';
import { auditEventOfRecord, isNewEvent } from '../../shared/audit/consumer/streamRecords';
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
  const table = vault.stack.tableName(EVENTS_TABLE);
  const stream = outboxStreamIndex(vault.stack.dynamoDbEndpoint, table);
  return {
    async eventsOf(requestId) {
      if (!requestId) throw new Error('the response carried no x-request-id');
      // The outbox's stream, read on from where the last call stopped, finds a request's events without
      // scanning a table that grows with every test (a file of 200 requests scanned it 200 times).
      // A request it finds nothing for (or a stream that cannot be read) is looked up by a full scan.
      const streamed = await stream.eventsOf(requestId).catch(() => []);
      if (streamed.length > 0) return streamed;
      return scanOutbox(db, table, { FilterExpression: '#r = :r', ExpressionAttributeNames: { '#r': 'requestId' }, ExpressionAttributeValues: { ':r': requestId } });
    },
    async onlyEventOf(response) {
      const events = await this.eventsOf(response.headers.get('x-request-id'));
      if (events.length !== 1) throw new Error(`expected exactly one audit event for the request, found ${events.length}`);
      return events[0] as AuditEvent;
    },
    close: () => {
      db.destroy();
      stream.close();
    },
  };
}

/** The outbox's stream, read from its start and kept by request id (the events a handler writes are in it when it answers). */
function outboxStreamIndex(endpoint: string, table: string): { eventsOf(requestId: string): Promise<AuditEvent[]>; close(): void } {
  const dynamo = new DynamoDBClient({ region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS });
  const streams = new DynamoDBStreamsClient({ region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS });
  const byEventId = new Map<string, AuditEvent>();
  const byRequest = new Map<string, AuditEvent[]>();
  /** Where each shard was left; null once a closed shard is read to its end. */
  const iterators = new Map<string, string | null>();
  let streamArn: string | undefined;
  const catchUp = async () => {
    streamArn ??= (await dynamo.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn;
    if (!streamArn) throw new Error('the outbox has no stream');
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId as string;
      if (iterators.has(id)) continue;
      const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: 'TRIM_HORIZON' }));
      iterators.set(id, ShardIterator ?? null);
    }
    for (const [id, start] of iterators) {
      let iterator = start;
      while (iterator) {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        // Read as the consumer reads them (Lambda's record shape, the outbox item back to an event).
        for (const record of toStreamEvent(out.Records ?? [], streamArn, LOCAL_REGION).Records) {
          if (!isNewEvent(record)) continue;
          const event = auditEventOfRecord(record);
          if (byEventId.has(event.eventId)) continue;
          byEventId.set(event.eventId, event);
          byRequest.set(event.requestId, [...(byRequest.get(event.requestId) ?? []), event]);
        }
        iterator = out.NextShardIterator ?? null;
        // An open shard answers an empty page at its end: go on from there next time.
        if ((out.Records ?? []).length === 0) break;
      }
      iterators.set(id, iterator);
    }
  };
  return {
    eventsOf: async (requestId) => {
      await catchUp();
      return byRequest.get(requestId) ?? [];
    },
    close: () => {
      dynamo.destroy();
      streams.destroy();
    },
  };
}

/** Every outbox event (of the outbox `table`) the filter keeps, all pages of a consistent-enough scan (tests read after their writes). */
export async function scanOutbox(
  db: DynamoDBDocumentClient,
  table: string,
  filter: Pick<ScanCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new ScanCommand({ TableName: table, ...filter, ExclusiveStartKey: start }));
    events.push(...((out.Items ?? []) as AuditEvent[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return events;
}

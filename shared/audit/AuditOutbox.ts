import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteItem } from '../store/transactions';
import type { AuditEvent } from './event';

/** Outbox rows outlive the stream (24 h) with margin, then DynamoDB's TTL removes them. */
export const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * Where audit events are written durably. A put that fails throws, so no caller can go on
 * as if it had been recorded.
 */
export interface AuditOutbox {
  /** Writes the event; resolves only once DynamoDB has acknowledged it. */
  write(event: AuditEvent): Promise<void>;
  /** The same write as one item of a caller's transaction (state change + its audit event). */
  transactItem(event: AuditEvent): TransactWriteItem;
}

export class DynamoAuditOutbox implements AuditOutbox {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async write(event: AuditEvent): Promise<void> {
    await this.db.send(new PutCommand(this.transactItem(event).Put));
  }

  transactItem(event: AuditEvent): TransactWriteItem & { Put: NonNullable<TransactWriteItem['Put']> } {
    const expiresAt = Math.floor(Date.parse(event.time) / 1000) + OUTBOX_RETENTION_SECONDS;
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...event, expiresAt },
        // An event id is written once; a retried put must not overwrite a consumed one.
        ConditionExpression: 'attribute_not_exists(eventId)',
      },
    };
  }
}

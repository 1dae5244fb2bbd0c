import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../event';
import { auditItem } from '../query';

/**
 * Attribute of an audit-table item naming the archive object that holds (or will hold) the event:
 * the event's claim on one archive object. Readers ignore it (`auditEventOf` keeps event fields only).
 */
export const ARCHIVE_CLAIM = 'archiveKey';

export type PutOutcome = { written: true } | { written: false; claim?: string };

/**
 * Writes events to the audit table, once each: the key holds the event id, and a put only
 * succeeds where no item exists. The item also records the event's archive claim.
 */
export class AuditLogWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Puts the event's item with its archive claim. An event already in the table is not a
   * failure: its existing claim is returned instead.
   */
  async put(event: AuditEvent, claim: string): Promise<PutOutcome> {
    const item = auditItem(event);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, [ARCHIVE_CLAIM]: claim },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { written: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true, ProjectionExpression: ARCHIVE_CLAIM }),
    );
    const existing = Item?.[ARCHIVE_CLAIM];
    return { written: false, claim: typeof existing === 'string' ? existing : undefined };
  }

  /** Moves the event's claim from `from` (undefined: none) to `to`, only if it is still `from`. */
  async reclaim(event: AuditEvent, from: string | undefined, to: string): Promise<void> {
    const { pk, sk } = auditItem(event);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk, sk },
        UpdateExpression: 'SET #claim = :to',
        ConditionExpression: from === undefined ? 'attribute_exists(pk) AND attribute_not_exists(#claim)' : '#claim = :from',
        ExpressionAttributeNames: { '#claim': ARCHIVE_CLAIM },
        ExpressionAttributeValues: from === undefined ? { ':to': to } : { ':to': to, ':from': from },
      }),
    );
  }
}

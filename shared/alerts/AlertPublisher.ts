import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BatchResult } from '../audit/consumer/AuditStreamConsumer';
import { auditEventOfRecord, isNewEvent, MalformedStreamRecordError, sequenceNumberOf, type StreamRecordLike } from '../audit/consumer/streamRecords';
import type { AuditEvent } from '../audit/event';
import { describeError, type Logger } from '../log/logger';
import { ITEM } from '../store/keys';
import { alertsFor, type Alert } from './alert';
import type { AlertSink } from './sinks';

/** Markers outlive the stream's 24 h retention (and Lambda's retries) by far. */
const MARKER_DAYS = 7;

/** Which alerts were already published (conditional markers in the vault table). */
export class AlertMarkers {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  async sent(alertId: string): Promise<boolean> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: ITEM.alertSent(alertId), ConsistentRead: true }));
    return out.Item !== undefined;
  }

  async mark(alertId: string): Promise<void> {
    const ttl = Math.ceil(this.now() / 1000) + MARKER_DAYS * 24 * 60 * 60;
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...ITEM.alertSent(alertId), ttl } }));
  }
}

/**
 * The second consumer of the audit outbox's stream: publishes the alerts each new audit event calls
 * for (see `alertsFor`). It runs after the request has been answered, so it can neither block nor
 * fail one. Replays publish nothing twice that was marked sent; an alert whose marker write failed
 * after publishing may be published again, with the same `id` for subscribers to drop.
 */
export class AlertPublisher {
  constructor(
    private readonly sink: AlertSink,
    private readonly markers: Pick<AlertMarkers, 'sent' | 'mark'>,
    private readonly log: Logger,
  ) {}

  async consume(records: readonly StreamRecordLike[]): Promise<BatchResult> {
    for (const [index, record] of records.entries()) {
      if (!isNewEvent(record)) continue;
      let event: AuditEvent;
      try {
        event = auditEventOfRecord(record);
      } catch (error) {
        // The audit consumer reports and parks it; retrying here would only stall every later alert.
        if (!(error instanceof MalformedStreamRecordError)) throw error;
        this.log.error('unreadable outbox record skipped', { sequenceNumber: sequenceNumberOf(record), ...describeError(error) });
        continue;
      }
      try {
        const alerts = alertsFor(event);
        const unsent: Alert[] = [];
        for (const alert of alerts) if (!(await this.markers.sent(alert.id))) unsent.push(alert);
        if (unsent.length === 0) continue;
        await this.sink.publish(unsent);
        for (const alert of unsent) await this.markers.mark(alert.id);
        this.log.info('alerts published', { ids: unsent.map((a) => a.id).join(',') });
      } catch (error) {
        this.log.error('alert publishing failed; retried from this record', { sequenceNumber: sequenceNumberOf(record), ...describeError(error) });
        return { batchItemFailures: records.slice(index).map((r) => ({ itemIdentifier: sequenceNumberOf(r) })) };
      }
    }
    return { batchItemFailures: [] };
  }
}

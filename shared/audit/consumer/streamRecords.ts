import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '../../aws/runtimeModules';
import type { AuditEvent } from '../event';

/**
 * The parts of a DynamoDB Streams record the consumer reads. Lambda's `DynamoDBRecord` fits this
 * shape, so domain code needs no Lambda types.
 */
export interface StreamRecordLike {
  eventName?: string;
  dynamodb?: {
    SequenceNumber?: string;
    NewImage?: Record<string, unknown>;
  };
}

/** A stream record that does not carry a readable audit event. */
export class MalformedStreamRecordError extends Error {
  constructor(sequenceNumber: string, reason: string) {
    super(`stream record ${sequenceNumber} holds no readable audit event: ${reason}`);
    this.name = 'MalformedStreamRecordError';
  }
}

/** The record's sequence number, Lambda's item identifier for stream batches. */
export function sequenceNumberOf(record: StreamRecordLike): string {
  return record.dynamodb?.SequenceNumber ?? '';
}

/** Only new outbox rows carry events; REMOVE records (TTL expiry) and MODIFY records are not audit events. */
export function isNewEvent(record: StreamRecordLike): boolean {
  return record.eventName === 'INSERT';
}

/**
 * The audit event an INSERT record's new image holds, without the outbox's own attributes.
 *
 * @throws MalformedStreamRecordError when the image is missing or is not an audit event.
 */
export function auditEventOfRecord(record: StreamRecordLike): AuditEvent {
  const seq = sequenceNumberOf(record);
  const image = record.dynamodb?.NewImage;
  if (!image) throw new MalformedStreamRecordError(seq, 'no NewImage (is the stream view NEW_IMAGE?)');
  let item: Record<string, unknown>;
  try {
    item = unmarshall(image as Record<string, AttributeValue>);
  } catch (error) {
    throw new MalformedStreamRecordError(seq, error instanceof Error ? error.message : String(error));
  }
  const { expiresAt: _expiresAt, ...event } = item;
  if (typeof event.eventId !== 'string' || event.eventId.length === 0) throw new MalformedStreamRecordError(seq, 'no eventId');
  if (typeof event.time !== 'string' || Number.isNaN(Date.parse(event.time))) throw new MalformedStreamRecordError(seq, 'no ISO time');
  if (typeof event.actor !== 'object' || event.actor === null) throw new MalformedStreamRecordError(seq, 'no actor');
  return event as unknown as AuditEvent;
}

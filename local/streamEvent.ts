/**
 * Turns records read with the DynamoDB Streams API into the event Lambda hands a stream consumer:
 * the same members, with `ApproximateCreationDateTime` in epoch seconds and binary values base64.
 */
import type { AttributeValue as StreamAttributeValue, _Record as StreamApiRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * The Lambda event for records of one shard.
 *
 * @param records - From GetRecords, in order.
 * @param streamArn - The stream's ARN (Lambda's `eventSourceARN`).
 * @param region - Region to report as `awsRegion`.
 */
export function toStreamEvent(records: readonly StreamApiRecord[], streamArn: string, region: string): DynamoDBStreamEvent {
  return { Records: records.map((record) => toLambdaRecord(record, streamArn, region)) };
}

function toLambdaRecord(record: StreamApiRecord, streamArn: string, region: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    ...(record.userIdentity && { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }),
    dynamodb: {
      ApproximateCreationDateTime: data.ApproximateCreationDateTime ? Math.floor(data.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      Keys: data.Keys && image(data.Keys),
      NewImage: data.NewImage && image(data.NewImage),
      OldImage: data.OldImage && image(data.OldImage),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType,
    },
  };
}

function image(values: Record<string, StreamAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, attribute(value)]));
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function attribute(value: StreamAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(attribute) };
  if (value.M !== undefined) return { M: image(value.M) };
  // The SDK reads an empty map (`{"M":{}}`) back as an empty union: it can be nothing else.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new Error(`stream record holds an attribute value of an unknown type (${Object.keys(value).join(', ')})`);
}

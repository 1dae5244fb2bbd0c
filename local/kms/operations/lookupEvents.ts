/**
 * CloudTrail LookupEvents over the KMS trail: one lookup attribute at most, StartTime / EndTime
 * (inclusive, compared with the to-the-second event times), MaxResults 1-50 (default 50), newest
 * first, paged with an opaque NextToken that is only valid with the same parameters.
 */
import { createHash } from 'node:crypto';
import { ErrorType, ServiceError } from '../errors';
import { optionalObjectList, optionalString, optionalTimestamp, type JsonObject } from '../input';
import type { JsonResponse, Operation } from '../operation';
import type { TrailRecord } from '../Trail';

const MAX_RESULTS = 50;

type EventFilter = (record: TrailRecord) => boolean;

const ATTRIBUTE_FILTERS: Record<string, (value: string) => EventFilter> = {
  EventId: (value) => (record) => record.eventID === value,
  EventName: (value) => (record) => record.eventName === value,
  EventSource: (value) => (record) => record.eventSource === value,
  ReadOnly: (value) => (record) => String(record.readOnly) === value,
  Username: (value) => (record) => record.userIdentity.userName === value,
  AccessKeyId: (value) => (record) => record.userIdentity.accessKeyId === value,
  ResourceName: (value) => (record) => (record.resources ?? []).some((resource) => resource.ARN === value),
  ResourceType: (value) => (record) => (record.resources ?? []).some((resource) => resource.type === value),
};

function invalidAttributes(message: string): ServiceError {
  return new ServiceError(ErrorType.invalidLookupAttributes, message);
}

function attributeFilter(attributes: JsonObject[]): EventFilter {
  if (attributes.length === 0) return () => true;
  if (attributes.length > 1) throw invalidAttributes('You can specify only one lookup attribute.');
  const [{ AttributeKey: key, AttributeValue: value }] = attributes;
  if (typeof key !== 'string' || !Object.hasOwn(ATTRIBUTE_FILTERS, key)) {
    throw invalidAttributes(`Lookup attribute key ${String(key)} is not valid.`);
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) {
    throw invalidAttributes(`Lookup attribute value for ${key} is not valid.`);
  }
  return ATTRIBUTE_FILTERS[key](value);
}

function maxResults(input: JsonObject): number {
  const value = input.MaxResults;
  if (value === undefined || value === null) return MAX_RESULTS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RESULTS) {
    throw new ServiceError(ErrorType.invalidMaxResults, `MaxResults must be between 1 and ${MAX_RESULTS}.`);
  }
  return value;
}

/** Where the previous page stopped, tied to the query it belongs to. */
interface Cursor {
  /** Event time (epoch seconds) of the last event returned. */
  t: number;
  /** Its line number in the trail. */
  s: number;
  /** Hash of the query parameters. */
  q: string;
}

function queryHash(input: JsonObject): string {
  const query = [input.LookupAttributes ?? null, input.StartTime ?? null, input.EndTime ?? null, input.EventCategory ?? null];
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 22);
}

function readCursor(token: string | undefined, query: string): Cursor | undefined {
  if (token === undefined) return undefined;
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof cursor.t === 'number' && typeof cursor.s === 'number' && cursor.q === query) {
      return { t: cursor.t, s: cursor.s, q: cursor.q };
    }
  } catch {
    // fall through
  }
  throw new ServiceError(ErrorType.invalidNextToken, 'The NextToken is not valid for these parameters.');
}

function writeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

interface Numbered {
  record: TrailRecord;
  line: number;
  time: number;
}

function toEvent({ record, time }: Numbered): JsonResponse {
  return {
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: String(record.readOnly),
    AccessKeyId: record.userIdentity.accessKeyId,
    EventTime: time,
    EventSource: record.eventSource,
    Username: record.userIdentity.userName,
    Resources: (record.resources ?? []).map((resource) => ({ ResourceType: resource.type, ResourceName: resource.ARN })),
    CloudTrailEvent: JSON.stringify(record),
  };
}

export const lookupEvents: Operation = {
  name: 'LookupEvents',
  async run(input, { trail }) {
    const matches = attributeFilter(optionalObjectList(input, 'LookupAttributes'));
    const start = optionalTimestamp(input, 'StartTime');
    const end = optionalTimestamp(input, 'EndTime');
    if (start !== undefined && end !== undefined && start.getTime() > end.getTime()) {
      throw new ServiceError(ErrorType.invalidTimeRange, 'The start time must not be after the end time.');
    }
    const category = optionalString(input, 'EventCategory');
    if (category !== undefined && category !== 'insight') {
      throw new ServiceError(ErrorType.validation, `EventCategory ${category} is not valid.`);
    }
    const limit = maxResults(input);
    const query = queryHash(input);
    const cursor = readCursor(optionalString(input, 'NextToken'), query);
    if (category === 'insight') return { Events: [] };

    const startSeconds = start === undefined ? -Infinity : start.getTime() / 1000;
    const endSeconds = end === undefined ? Infinity : end.getTime() / 1000;
    const selected = (await trail.readAll())
      .map((record, line): Numbered => ({ record, line, time: Date.parse(record.eventTime) / 1000 }))
      .filter(({ record, time }) => time >= startSeconds && time <= endSeconds && matches(record))
      .sort((a, b) => b.time - a.time || b.line - a.line)
      .filter(({ time, line }) => cursor === undefined || time < cursor.t || (time === cursor.t && line < cursor.s));
    const page = selected.slice(0, limit);
    const last = page[page.length - 1];
    return {
      Events: page.map(toEvent),
      ...(selected.length > limit && last !== undefined && { NextToken: writeCursor({ t: last.time, s: last.line, q: query }) }),
    };
  },
};

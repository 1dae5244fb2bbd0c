import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AuditEvent } from '../event';
import { canonicalJson } from './canonicalJson';
import { eventsObjectKey, utcDay } from './keys';

/** One archive object: a run of consecutive events of one UTC day, as gzip-compressed JSON Lines. */
export interface EventObject {
  key: string;
  day: string;
  events: AuditEvent[];
  /** What is stored: the gzip-compressed lines. */
  body: Buffer;
  /** SHA-256 (hex) of the uncompressed lines; its first 16 characters are in the key. */
  contentSha256: string;
}

export const EVENT_OBJECT_CONTENT_TYPE = 'application/x-ndjson';
export const EVENT_OBJECT_CONTENT_ENCODING = 'gzip';

/**
 * The archive objects for events in stream order: one per run of events of the same UTC day (a
 * batch that spans midnight gives two). Each event is one canonical JSON line, so the same events
 * always give the same content, hash and key.
 *
 * @param events - Events in the order they were written to the outbox.
 * @example
 * const [object] = eventObjectsFor([event]); // object.key = events/yyyy=.../<id>-<id>-<hash>.jsonl.gz
 */
export function eventObjectsFor(events: readonly AuditEvent[]): EventObject[] {
  const runs: AuditEvent[][] = [];
  for (const event of events) {
    const run = runs[runs.length - 1];
    if (run && utcDay(run[0]!.time) === utcDay(event.time)) run.push(event);
    else runs.push([event]);
  }
  return runs.map(eventObjectOf);
}

function eventObjectOf(events: AuditEvent[]): EventObject {
  const lines = events.map((event) => `${canonicalJson(event)}\n`).join('');
  const contentSha256 = createHash('sha256').update(lines).digest('hex');
  const day = utcDay(events[0]!.time);
  const key = eventsObjectKey({ day, firstEventId: events[0]!.eventId, lastEventId: events[events.length - 1]!.eventId, contentSha256 });
  return { key, day, events, body: gzipSync(lines), contentSha256 };
}

/**
 * The events of a stored archive object, and the hash of its uncompressed content.
 *
 * @param body - The object's bytes as stored (gzip).
 * @throws Error when the bytes are not gzip or a line is not JSON.
 */
export function readEventObject(body: Buffer): { events: AuditEvent[]; contentSha256: string } {
  const lines = gunzipSync(body);
  const events = lines
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as AuditEvent);
  return { events, contentSha256: createHash('sha256').update(lines).digest('hex') };
}

/** SHA-256 (hex) of stored bytes. */
export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

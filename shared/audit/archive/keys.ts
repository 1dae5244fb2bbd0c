/**
 * Where things live in the archive bucket. Event objects and digests are partitioned by UTC day
 * (`yyyy=2026/mm=11/dd=27/`, Hive style, so Athena can prune by date).
 */

export const ARCHIVE_PREFIX = {
  events: 'events/',
  digests: 'digests/',
} as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (UTC) of an ISO time or epoch milliseconds. */
export function utcDay(time: string | number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** `yyyy=YYYY/mm=MM/dd=DD/` of a `YYYY-MM-DD` day. */
function dayPath(day: string): string {
  const match = DAY.exec(day);
  if (!match) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return `yyyy=${match[1]}/mm=${match[2]}/dd=${match[3]}/`;
}

/** Prefix of the event objects of one day. */
export function eventsPrefix(day: string): string {
  return `${ARCHIVE_PREFIX.events}${dayPath(day)}`;
}

/** Prefix of the digests written on one day. */
export function digestsPrefix(day: string): string {
  return `${ARCHIVE_PREFIX.digests}${dayPath(day)}`;
}

/** Hex characters of the content hash kept in an event object's key. */
const CONTENT_HASH_CHARS = 16;

/**
 * Key of the object holding a run of events of one day:
 * `events/yyyy=/mm=/dd=/<firstEventId>-<lastEventId>-<content hash>.jsonl.gz`. The content hash
 * (SHA-256 of the uncompressed lines) makes the key name exactly one content, so a key that
 * exists already holds what a retry would write.
 */
export function eventsObjectKey(run: { day: string; firstEventId: string; lastEventId: string; contentSha256: string }): string {
  return `${eventsPrefix(run.day)}${run.firstEventId}-${run.lastEventId}-${run.contentSha256.slice(0, CONTENT_HASH_CHARS)}.jsonl.gz`;
}

/**
 * Key of a digest: `digests/yyyy=/mm=/dd=/<yyyymmddThhmmssZ>-<seq>.json`, the sequence number
 * zero-padded so keys sort in chain order.
 */
export function digestKey(timeMs: number, seq: number): string {
  const iso = new Date(timeMs).toISOString();
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return `${digestsPrefix(utcDay(timeMs))}${compact}-${String(seq).padStart(10, '0')}.json`;
}

/** Every `YYYY-MM-DD` from `from` to `to`, both included; empty when `to` is before `from`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) days.push(utcDay(t));
  return days;
}

/** The day before or after `day`. */
export function shiftDay(day: string, by: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + by * DAY_MS);
}

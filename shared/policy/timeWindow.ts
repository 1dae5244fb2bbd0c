/**
 * Weekly time windows evaluated on the wall clock of an IANA time zone, through `Intl`.
 *
 * A window opens at `start` on each listed day and closes at `end` (start inclusive, end
 * exclusive). When `end` is not after `start` the window runs past midnight and closes at
 * `end` on the next day: `{ days: ['fri'], start: '22:00', end: '06:00' }` covers Friday 22:00
 * to Saturday 06:00. Because the wall clock is read for each instant, DST needs no special
 * case: on a spring-forward day the skipped hour never occurs (a window inside it is empty that
 * day), and on a fall-back day both passes through the repeated hour are inside a window
 * that contains it.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeWindow {
  /** Days the window opens on; every day when omitted. */
  days?: Weekday[];
  /** `HH:MM`, 24-hour, local to `timeZone`. */
  start: string;
  /** `HH:MM`, or `24:00` for the end of the day. */
  end: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const END_OF_DAY = '24:00';

/** Minutes after midnight for `HH:MM`; `24:00` only when `endOfDayAllowed`; undefined when malformed. */
export function clockMinutes(text: string, endOfDayAllowed: boolean): number | undefined {
  if (endOfDayAllowed && text === END_OF_DAY) return 24 * 60;
  const m = CLOCK.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when this runtime's `Intl` knows the time zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

const MINUTE_MS = 60_000;
const WALL_CLOCK_CACHE_SIZE = 4096;
/** `Intl` formatting costs tens of microseconds; many requests share a zone and a minute. */
const wallClockCache = new Map<string, { weekday: number; minute: number } | null>();

/**
 * Wall-clock weekday (0 = Monday) and second of the day at `timeMs` in `timeZone`; undefined
 * when the zone is unknown or the time is not a number. Offsets are taken to be whole minutes
 * (true of every zone since 1972), so the wall clock is looked up once per zone and minute.
 */
function wallClock(timeMs: number, timeZone: string): { weekday: number; second: number } | undefined {
  if (!Number.isFinite(timeMs)) return undefined;
  const minuteStart = Math.floor(timeMs / MINUTE_MS) * MINUTE_MS;
  const key = `${timeZone}|${minuteStart}`;
  let cached = wallClockCache.get(key);
  if (cached === undefined) {
    cached = readWallClock(minuteStart, timeZone);
    if (wallClockCache.size >= WALL_CLOCK_CACHE_SIZE) wallClockCache.clear();
    wallClockCache.set(key, cached);
  }
  if (cached === null) return undefined;
  return { weekday: cached.weekday, second: cached.minute * 60 + Math.floor((timeMs - minuteStart) / 1000) };
}

function readWallClock(timeMs: number, timeZone: string): { weekday: number; minute: number } | null {
  const formatter = formatterFor(timeZone);
  if (formatter === null) return null;
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatter.formatToParts(timeMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute } = parts;
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined) return null;
  const sundayFirst = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { weekday: (sundayFirst + 6) % 7, minute: hour * 60 + minute };
}

/** Whether `timeMs` falls in the window: undefined when it cannot be told (unknown zone, bad clock). */
export function inTimeWindow(window: TimeWindow, timeMs: number): boolean | undefined {
  const start = clockMinutes(window.start, false);
  const end = clockMinutes(window.end, true);
  const now = wallClock(timeMs, window.timeZone);
  if (start === undefined || end === undefined || start === end || now === undefined) return undefined;
  const opensOn = (weekday: number): boolean => window.days === undefined || window.days.includes(WEEKDAYS[weekday]);
  const startSecond = start * 60;
  const endSecond = end * 60;
  if (start < end) return opensOn(now.weekday) && now.second >= startSecond && now.second < endSecond;
  // Past midnight: tonight's part belongs to today, this morning's part to yesterday's window.
  const yesterday = (now.weekday + 6) % 7;
  return (opensOn(now.weekday) && now.second >= startSecond) || (opensOn(yesterday) && now.second < endSecond);
}

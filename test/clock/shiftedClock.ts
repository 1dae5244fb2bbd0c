/**
 * Setup of the `shifted-clock` jest project: the test files that involve time (audit, policy time
 * windows, TOTP) run a second time with `Date` a year ahead of today, starting 4 seconds before a
 * UTC midnight, so each file crosses a day boundary while it runs (its DynamoDB Local and stack take
 * longer than that to start). A test that only passes on the day it was written, or only between two
 * midnights, fails here. Only `Date` is faked, and it moves with real time: timers, `performance` and
 * child processes (DynamoDB Local) keep the real clock.
 */
import { jest } from '@jest/globals';

/** `OTPVAULT_TEST_CLOCK` (an ISO time) replaces the default start, e.g. to replay a failure. */
function shiftedStart(): number {
  const fixed = process.env.OTPVAULT_TEST_CLOCK;
  if (fixed) return Date.parse(fixed);
  const start = new Date();
  start.setUTCFullYear(start.getUTCFullYear() + 1);
  start.setUTCHours(23, 59, 56, 0);
  return start.getTime();
}

jest.useFakeTimers({
  now: shiftedStart(),
  advanceTimers: true,
  doNotFake: [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'requestIdleCallback',
    'cancelIdleCallback',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ],
});

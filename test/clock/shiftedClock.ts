/**
 * Setup of the `shifted-clock` jest project: the test files that involve time (audit, policy time
 * windows, TOTP) run a second time with `Date` a year ahead of today, starting 4 seconds before a
 * UTC midnight, so each file crosses a day boundary while it runs (its DynamoDB Local and stack take
 * longer than that to start). A test that only passes on the day it was written, or only between two
 * midnights, fails here. Only `Date` is faked, and it moves with real time: timers, `performance` and
 * child processes (DynamoDB Local) keep the real clock.
 */

/** `OTPVAULT_TEST_CLOCK` (an ISO time) replaces the default start, e.g. to replay a failure. */
function shiftedStart(): number {
  const fixed = process.env.OTPVAULT_TEST_CLOCK;
  if (fixed) return Date.parse(fixed);
  const start = new Date();
  start.setUTCFullYear(start.getUTCFullYear() + 1);
  start.setUTCHours(23, 59, 56, 0);
  return start.getTime();
}

// A fixed offset from the real clock, not jest's fake timers: those move `Date` by a fixed step on
// each tick of a real interval, so on a loaded machine (ticks late) the fake clock fell seconds behind
// real time, and behind the KMS emulator's worker, which dates its trail with the real clock plus the
// offset it was given at start: reconcile then missed every Decrypt of its window.
const RealDate = Date;
const offsetMs = shiftedStart() - RealDate.now();
const shiftedNow = (): number => RealDate.now() + offsetMs;
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args: unknown[], newTarget: Function) => Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget) as object,
  // `Date()` called as a function: the current time as text.
  apply: () => new RealDate(shiftedNow()).toString(),
  get: (target, property, receiver) => (property === 'now' ? shiftedNow : Reflect.get(target, property, receiver)),
});

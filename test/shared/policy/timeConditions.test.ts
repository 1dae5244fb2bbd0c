import { PolicyEngine, type TimeWindow } from '../../../shared/policy/index';
import { allowPolicy, at, request } from './helpers';

/** Whether an allow limited to `timeWindow` lets a request at `iso` in. */
function allowedAt(timeWindow: TimeWindow, iso: string): boolean {
  const engine = new PolicyEngine([allowPolicy({ conditions: { timeWindow } })], { includeBuiltins: false });
  return engine.decide(request({ timeMs: at(iso) }), 'otp:generate', '/aws/x').allowed;
}

const berlinOffice: TimeWindow = { start: '08:00', end: '18:00', timeZone: 'Europe/Berlin' };
const newYorkOffice: TimeWindow = { start: '08:00', end: '18:00', timeZone: 'America/New_York' };
const weekdays: TimeWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', timeZone: 'UTC' };
const fridayNight: TimeWindow = { days: ['fri'], start: '22:00', end: '06:00', timeZone: 'UTC' };
const saturdayNightBerlin: TimeWindow = { days: ['sat'], start: '22:00', end: '06:00', timeZone: 'Europe/Berlin' };
const saturdayNightNewYork: TimeWindow = { days: ['sat'], start: '22:00', end: '06:00', timeZone: 'America/New_York' };
const berlinSkippedHour: TimeWindow = { start: '02:00', end: '03:00', timeZone: 'Europe/Berlin' };
const newYorkSkippedHour: TimeWindow = { start: '02:00', end: '03:00', timeZone: 'America/New_York' };
const newYorkRepeatedHour: TimeWindow = { start: '01:00', end: '02:00', timeZone: 'America/New_York' };
const evening: TimeWindow = { start: '18:00', end: '24:00', timeZone: 'UTC' };

describe('the timeWindow condition', () => {
  it.each<[string, TimeWindow, string, boolean]>([
    // plain windows: start inclusive, end exclusive, days
    ['at the start', weekdays, '2024-06-03T09:00:00Z', true],
    ['a second before the end', weekdays, '2024-06-03T16:59:59Z', true],
    ['at the end', weekdays, '2024-06-03T17:00:00Z', false],
    ['before the start', weekdays, '2024-06-03T08:59:59Z', false],
    ['on a day not listed', weekdays, '2024-06-01T12:00:00Z', false],
    ['until midnight with 24:00', evening, '2024-06-03T23:59:59Z', true],
    ['after 24:00', evening, '2024-06-04T00:00:00Z', false],
    // across midnight: the morning part belongs to the day the window opened
    ['friday night before midnight', fridayNight, '2024-06-07T23:00:00Z', true],
    ['friday night after midnight, on saturday', fridayNight, '2024-06-08T02:00:00Z', true],
    ['friday night at its end on saturday', fridayNight, '2024-06-08T06:00:00Z', false],
    ['thursday night (not listed)', fridayNight, '2024-06-06T23:00:00Z', false],
    ['friday morning (thursday night, not listed)', fridayNight, '2024-06-07T02:00:00Z', false],
    ['saturday night (not listed)', fridayNight, '2024-06-08T23:00:00Z', false],
    // Europe/Berlin, spring forward 2024-03-31 02:00 CET -> 03:00 CEST (01:00Z)
    ['Berlin office hours the day before spring forward', berlinOffice, '2024-03-30T07:30:00Z', true],
    ['Berlin 08:30 CEST on spring-forward day (06:30Z)', berlinOffice, '2024-03-31T06:30:00Z', true],
    ['Berlin 07:30 CEST on spring-forward day (05:30Z)', berlinOffice, '2024-03-31T05:30:00Z', false],
    ['Berlin 18:30 CEST on spring-forward day (16:30Z)', berlinOffice, '2024-03-31T16:30:00Z', false],
    ['Berlin 01:59:59 CET, just before the skipped hour', berlinSkippedHour, '2024-03-31T00:59:59Z', false],
    ['Berlin 03:00 CEST, just after the skipped hour', berlinSkippedHour, '2024-03-31T01:00:00Z', false],
    ['Berlin 02:30 CET the day before', berlinSkippedHour, '2024-03-30T01:30:00Z', true],
    ['Berlin saturday night at 05:59 CEST', saturdayNightBerlin, '2024-03-31T03:59:00Z', true],
    ['Berlin saturday night at 06:30 CEST (05:30 if the offset had not changed)', saturdayNightBerlin, '2024-03-31T04:30:00Z', false],
    ['Berlin saturday night at 22:00 CET', saturdayNightBerlin, '2024-03-30T21:00:00Z', true],
    // Europe/Berlin, fall back 2024-10-27 03:00 CEST -> 02:00 CET (01:00Z)
    ['Berlin 07:30 CET on fall-back day (06:30Z)', berlinOffice, '2024-10-27T06:30:00Z', false],
    ['Berlin 08:30 CET on fall-back day (07:30Z)', berlinOffice, '2024-10-27T07:30:00Z', true],
    ['Berlin 17:59 CET on fall-back day', berlinOffice, '2024-10-27T16:59:00Z', true],
    ['Berlin first 02:30 (CEST) of the repeated hour', berlinSkippedHour, '2024-10-27T00:30:00Z', true],
    ['Berlin second 02:30 (CET) of the repeated hour', berlinSkippedHour, '2024-10-27T01:30:00Z', true],
    ['Berlin 03:00 CET after the repeated hour', berlinSkippedHour, '2024-10-27T02:00:00Z', false],
    ['Berlin 01:59 CEST before the repeated hour', berlinSkippedHour, '2024-10-26T23:59:00Z', false],
    ['Berlin saturday night at 05:30 CET (06:30 if the offset had not changed)', saturdayNightBerlin, '2024-10-27T04:30:00Z', true],
    ['Berlin saturday night at 06:00 CET', saturdayNightBerlin, '2024-10-27T05:00:00Z', false],
    // America/New_York, spring forward 2024-03-10 02:00 EST -> 03:00 EDT (07:00Z)
    ['New York 08:30 EDT on spring-forward day (12:30Z)', newYorkOffice, '2024-03-10T12:30:00Z', true],
    ['New York 07:30 EDT on spring-forward day (11:30Z)', newYorkOffice, '2024-03-10T11:30:00Z', false],
    ['New York 01:59 EST, just before the skipped hour', newYorkSkippedHour, '2024-03-10T06:59:00Z', false],
    ['New York 03:00 EDT, just after the skipped hour', newYorkSkippedHour, '2024-03-10T07:00:00Z', false],
    ['New York 02:30 EST the day before', newYorkSkippedHour, '2024-03-09T07:30:00Z', true],
    ['New York saturday night at 05:59 EDT', saturdayNightNewYork, '2024-03-10T09:59:00Z', true],
    ['New York saturday night at 06:30 EDT (05:30 if the offset had not changed)', saturdayNightNewYork, '2024-03-10T10:30:00Z', false],
    // America/New_York, fall back 2024-11-03 02:00 EDT -> 01:00 EST (06:00Z)
    ['New York 07:30 EST on fall-back day (12:30Z)', newYorkOffice, '2024-11-03T12:30:00Z', false],
    ['New York 08:30 EST on fall-back day (13:30Z)', newYorkOffice, '2024-11-03T13:30:00Z', true],
    ['New York first 01:30 (EDT) of the repeated hour', newYorkRepeatedHour, '2024-11-03T05:30:00Z', true],
    ['New York second 01:30 (EST) of the repeated hour', newYorkRepeatedHour, '2024-11-03T06:30:00Z', true],
    ['New York 02:00 EST after the repeated hour', newYorkRepeatedHour, '2024-11-03T07:00:00Z', false],
    ['New York 00:59 EDT before the repeated hour', newYorkRepeatedHour, '2024-11-03T04:59:00Z', false],
    ['New York saturday night at 05:30 EST (06:30 if the offset had not changed)', saturdayNightNewYork, '2024-11-03T10:30:00Z', true],
    ['New York saturday night at 06:00 EST', saturdayNightNewYork, '2024-11-03T11:00:00Z', false],
  ])('%s', (_case, window, iso, expected) => {
    // Prepare, Act
    const allowed = allowedAt(window, iso);
    // Assess
    expect(allowed).toBe(expected);
  });
});

describe('the notBefore and notAfter conditions', () => {
  const conditions = { notBefore: '2024-06-01T00:00:00Z', notAfter: '2024-06-30T23:59:59+02:00' };

  it.each([
    ['a millisecond before notBefore', '2024-05-31T23:59:59.999Z', false],
    ['exactly at notBefore', '2024-06-01T00:00:00Z', true],
    ['between the two', '2024-06-15T00:00:00Z', true],
    ['exactly at notAfter (an offset is honoured)', '2024-06-30T21:59:59Z', true],
    ['a millisecond after notAfter', '2024-06-30T21:59:59.001Z', false],
  ])('%s: %s', (_case, iso, expected) => {
    // Prepare
    const engine = new PolicyEngine([allowPolicy({ conditions })], { includeBuiltins: false });
    // Act
    const decision = engine.decide(request({ timeMs: at(iso) }), 'otp:generate', '/aws/x');
    // Assess
    expect(decision.allowed).toBe(expected);
  });

  it('requires every condition to hold', () => {
    // Prepare: right time, wrong network
    const engine = new PolicyEngine(
      [allowPolicy({ conditions: { ...conditions, sourceIp: ['10.0.0.0/8'], timeWindow: berlinOffice } })],
      { includeBuiltins: false },
    );
    const timeMs = at('2024-06-03T10:00:00Z');
    // Act
    const inside = engine.decide(request({ timeMs, sourceIp: '10.1.2.3' }), 'otp:generate', '/aws/x');
    const outside = engine.decide(request({ timeMs, sourceIp: '11.1.2.3' }), 'otp:generate', '/aws/x');
    // Assess
    expect(inside.allowed).toBe(true);
    expect(outside.allowed).toBe(false);
    expect(outside.evaluated[0]).toMatchObject({ outcome: 'conditionsNotMet', note: 'source IP 11.1.2.3 is outside the allowed ranges' });
  });
});

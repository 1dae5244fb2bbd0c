import { hotpAt, OTP_DEFAULTS, totpAt, type OtpParams } from '../../../shared/otp';

const key = new TextEncoder().encode('12345678901234567890');
const params: OtpParams = { ...OTP_DEFAULTS };

describe('totpAt', () => {
  it('reports the step the time falls in, with its start and end as ISO times', () => {
    // Prepare
    const nowMs = Date.UTC(2025, 0, 1, 12, 0, 10, 500);

    // Act
    const result = totpAt(key, params, nowMs);

    // Assess
    expect(result.timeStep).toBe(Math.floor(nowMs / 30_000));
    expect(result.validFrom).toBe('2025-01-01T12:00:00.000Z');
    expect(result.validUntil).toBe('2025-01-01T12:00:30.000Z');
    expect(result.secondsRemaining).toBe(20);
  });

  it('counts a whole period as remaining at the first millisecond of a step and 1 s in its last second', () => {
    // Prepare
    const stepStart = 60_000 * 1000;

    // Act
    const atStart = totpAt(key, { ...params, period: 60 }, stepStart);
    const atEnd = totpAt(key, { ...params, period: 60 }, stepStart + 59_999);

    // Assess
    expect(atStart.secondsRemaining).toBe(60);
    expect(atEnd.secondsRemaining).toBe(1);
    expect(atEnd.timeStep).toBe(atStart.timeStep);
  });

  it('is the HOTP code of the time step', () => {
    // Prepare
    const nowMs = 1_700_000_000_123;

    // Act
    const result = totpAt(key, { ...params, digits: 8, algorithm: 'SHA512' }, nowMs);

    // Assess
    expect(result.code).toBe(hotpAt(key, { ...params, digits: 8, algorithm: 'SHA512' }, result.timeStep));
  });

  it('keeps leading zeros', () => {
    // Prepare: RFC 6238 row 1111111109 s, SHA1, 8 digits, is 07081804
    const nowMs = 1_111_111_109_000;

    // Act
    const result = totpAt(key, { ...params, digits: 8 }, nowMs);

    // Assess
    expect(result.code).toBe('07081804');
  });

  it.each([
    ['digits 9', { digits: 9 }],
    ['digits 5', { digits: 5 }],
    ['period 0', { period: 0 }],
    ['period 301', { period: 301 }],
    ['a fractional period', { period: 30.5 }],
    ['MD5', { algorithm: 'MD5' }],
  ])('refuses stored parameters with %s as a server-side fault (RangeError)', (_name, change) => {
    // Prepare
    const bad = { ...params, ...change } as OtpParams;

    // Act
    const act = (): unknown => totpAt(key, bad, 0);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it.each([
    ['shorter than 5 bytes', 4],
    ['longer than 128 bytes', 129],
  ])('refuses a key %s', (_name, length) => {
    // Prepare
    const bad = new Uint8Array(length);

    // Act
    const act = (): unknown => totpAt(bad, params, 0);

    // Assess
    expect(act).toThrow(/key is too (short|long)/);
  });

  it('refuses a time before 1970 or not a number', () => {
    // Prepare, Act
    const negative = (): unknown => totpAt(key, params, -1);
    const notANumber = (): unknown => totpAt(key, params, Number.NaN);

    // Assess
    expect(negative).toThrow(RangeError);
    expect(notANumber).toThrow(RangeError);
  });

  it('does not change the caller\'s key', () => {
    // Prepare
    const mine = Uint8Array.from(key);

    // Act
    totpAt(mine, params, 0);

    // Assess
    expect(mine).toEqual(key);
  });
});

describe('hotpAt', () => {
  it.each([-1, 1.5, 2 ** 53])('refuses counter %p', (counter) => {
    // Prepare
    const hotp: OtpParams = { ...params, type: 'hotp' };

    // Act
    const act = (): unknown => hotpAt(key, hotp, counter);

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('accepts the largest safe counter', () => {
    // Prepare
    const hotp: OtpParams = { ...params, type: 'hotp' };

    // Act
    const code = hotpAt(key, hotp, Number.MAX_SAFE_INTEGER);

    // Assess
    expect(code).toMatch(/^[0-9]{6}$/);
  });
});

import { hotpAt, matchCode, matchesCode, OTP_DEFAULTS, OTP_LIMITS, totpAt, type OtpParams } from '../../../shared/otp';

const key = new TextEncoder().encode('12345678901234567890');
const totp: OtpParams = { ...OTP_DEFAULTS };
const hotp: OtpParams = { ...OTP_DEFAULTS, type: 'hotp', counter: 5 };
const nowMs = 1_700_000_015_000;
const codeAtStep = (step: number): string => hotpAt(key, totp, step);
const currentStep = Math.floor(nowMs / 30_000);

describe('matchesCode for TOTP', () => {
  it.each([-1, 0, 1])('accepts the code of the step %p away from now', (offset) => {
    // Prepare
    const code = codeAtStep(currentStep + offset);

    // Act
    const match = matchCode(key, totp, code, nowMs);

    // Assess
    expect(match).toEqual({ counter: currentStep + offset });
  });

  it.each([-2, 2])('refuses the code of the step %p away from now', (offset) => {
    // Prepare
    const code = codeAtStep(currentStep + offset);

    // Act
    const ok = matchesCode(key, totp, code, nowMs);

    // Assess
    expect(ok).toBe(false);
  });

  it('accepts the current code given by totpAt', () => {
    // Prepare
    const { code } = totpAt(key, totp, nowMs);

    // Act, Assess
    expect(matchesCode(key, totp, code, nowMs)).toBe(true);
  });

  it('does not look before step 0 at the epoch', () => {
    // Prepare
    const code = codeAtStep(0);

    // Act, Assess
    expect(matchesCode(key, totp, code, 0)).toBe(true);
  });

  it.each([
    ['too short', (c: string) => c.slice(1)],
    ['too long', (c: string) => `${c}0`],
    ['with a space', (c: string) => `${c.slice(0, 3)} ${c.slice(3, 5)}`],
    ['with a letter', (c: string) => `${c.slice(0, 5)}a`],
    ['empty', () => ''],
  ])('refuses a code that is %s', (_name, change) => {
    // Prepare
    const code = change(totpAt(key, totp, nowMs).code);

    // Act, Assess
    expect(matchesCode(key, totp, code, nowMs)).toBe(false);
  });
});

describe('matchesCode for HOTP', () => {
  it('accepts every counter from the stored one to the look-ahead limit, and reports which', () => {
    // Prepare
    const counters = Array.from({ length: OTP_LIMITS.hotpLookAhead + 1 }, (_, i) => hotp.counter + i);

    // Act
    const matches = counters.map((c) => matchCode(key, hotp, hotpAt(key, hotp, c), 0));

    // Assess
    expect(matches).toEqual(counters.map((counter) => ({ counter })));
  });

  it.each([
    ['behind the stored counter', -1],
    ['past the look-ahead window', OTP_LIMITS.hotpLookAhead + 1],
  ])('refuses a code %s', (_name, offset) => {
    // Prepare
    const code = hotpAt(key, hotp, hotp.counter + offset);

    // Act, Assess
    expect(matchesCode(key, hotp, code, 0)).toBe(false);
  });

  it('ignores the clock', () => {
    // Prepare
    const code = hotpAt(key, hotp, hotp.counter);

    // Act, Assess
    expect(matchesCode(key, hotp, code, 9_999_999_999_999)).toBe(true);
  });
});

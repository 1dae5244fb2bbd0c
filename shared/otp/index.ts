/** One-time passwords: parameters, HOTP (RFC 4226), TOTP (RFC 6238) and code checks, on otpauth. */
export { OTP_ALGORITHMS, OTP_DEFAULTS, OTP_LIMITS, keyLengthProblem, otpParamsProblem } from './params';
export type { OtpAlgorithm, OtpParams, OtpType } from './params';
export { hotpAt } from './hotp';
export { stepWindow, timeStepAt, totpAt } from './totp';
export type { StepWindow, TotpCode } from './totp';
export { matchCode, matchesCode } from './match';
export type { CodeMatch } from './match';
export { fromBase32, isCanonicalBase32, toBase32 } from './base32';

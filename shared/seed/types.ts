import type { OtpEncoder, OtpParams } from '../otp';

/** Something worth telling the user about a seed that was still accepted. Never holds key material. */
export type SeedWarning = IssuerConflictWarning | SteamGuardAssumedWarning;

/** The label prefix and the `issuer` parameter differ; the parameter was used. */
export interface IssuerConflictWarning {
  code: 'issuerConflict';
  /** One sentence for people. */
  message: string;
  /** The issuer from the label (`Issuer:account`). */
  labelPrefix: string;
  /** The issuer from the `issuer=` parameter, which is the one kept. */
  parameter: string;
}

/** A TOTP URI whose issuer is Steam and that names no encoder was read as Steam Guard (Steam's own URIs look so). */
export interface SteamGuardAssumedWarning {
  code: 'steamGuardAssumed';
  /** One sentence for people. */
  message: string;
}

/** A usable OTP seed: the raw key and how to compute codes from it. */
export interface Seed {
  /** Raw key bytes (decoded base32). Sensitive: never log or echo it. */
  key: Uint8Array;
  params: OtpParams;
  /** Present only when something was accepted with a caveat. */
  warnings?: SeedWarning[];
}

interface VerifyOption {
  /** The code the device (authenticator app) shows now; checks that the seed was read as the device reads it. */
  verifyCode?: string;
}

interface EntryOption {
  /**
   * 1-based position of the account to take when the input holds several (a Google Authenticator export
   * or a picture with several QR codes). The error for a missing `entry` lists the positions.
   */
  entry?: number;
}

/** An `otpauth://` or `otpauth-migration://` URI. */
export interface SeedUriInput extends VerifyOption, EntryOption {
  uri: string;
  setupKey?: never;
  qrImage?: never;
}

/** A setup key (the base32 text shown under a QR code) and the parameters the service states. */
export interface SeedSetupKeyInput extends VerifyOption {
  setupKey: string;
  type?: 'totp' | 'hotp';
  algorithm?: string;
  digits?: number;
  period?: number;
  counter?: number;
  /** `steam` for a Steam Guard shared secret (then TOTP, SHA1, 5 characters, 30 s); default `decimal`. */
  encoder?: OtpEncoder;
  issuer?: string;
  account?: string;
  uri?: never;
  qrImage?: never;
}

/** A picture of the QR code: base64 of a PNG, JPEG, HEIC, WebP or AVIF (a `data:image/...;base64,` prefix is accepted). */
export interface SeedQrImageInput extends VerifyOption, EntryOption {
  qrImage: string;
  uri?: never;
  setupKey?: never;
}

/** What a caller may give to create a seed: exactly one of `uri`, `setupKey`, `qrImage`. */
export type SeedInput = SeedUriInput | SeedSetupKeyInput | SeedQrImageInput;

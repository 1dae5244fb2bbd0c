import type { OtpParams } from '../otp';
import type { FieldType } from '../templates/model';

/** A stored field value: plain, or a KMS ciphertext that is never shown. */
export type StoredField =
  | { type: FieldType; sensitive: false; value: string }
  | { type: FieldType; sensitive: true; ciphertext: Uint8Array };

/** What GET shows of the seed: parameters only. */
export interface OtpSummary {
  field: string;
  type: OtpParams['type'];
  issuer: string;
  account: string;
  algorithm: OtpParams['algorithm'];
  /** Code length in characters. */
  digits: number;
  period: number;
  /** `steam` for Steam Guard codes; absent for decimal digits (and on records written before it existed). */
  encoder?: OtpParams['encoder'];
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface RecoverySummary {
  field: string;
  total: number;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** The secret's metadata item. */
export interface SecretRecord {
  id: string;
  path: string;
  templateId: string;
  description?: string;
  fields: Record<string, StoredField>;
  otp?: OtpSummary;
  recovery?: RecoverySummary;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Bumped on every change; guards concurrent writers. */
  version: number;
  /** Every code or field handed out of it publishes an alert. */
  alertOnUse?: boolean;
}

/** The encrypted seed with the parameters needed to use it. */
/** Who was handed a secret's TOTP code first in a time step, and when (the `lastCode` item). */
export interface Handout {
  timeStep: number;
  /** Principal id, `user:bob`. */
  principal: string;
  /** ISO time. */
  at: string;
}

export interface SeedRecord {
  secretId: string;
  ciphertext: Uint8Array;
  params: OtpParams;
  /** HOTP: the next counter to use; moves atomically. */
  counter: number;
  version: number;
}

/**
 * A set of recovery codes, handed out in order: `next` is the index of the next unused code and
 * moves atomically, so concurrent callers never get the same code and never need to retry.
 */
export interface RecoveryRecord {
  secretId: string;
  version: number;
  codes: Uint8Array[];
  total: number;
  next: number;
}

/** Size limits of seed intake, checked before any parsing. */
export const SEED_LIMITS = {
  /** otplib's cap. A key URI is rarely above 300 characters; one QR code holds at most 2953 bytes. */
  maxUriLength: 2048,
  /** otplib's cap on the raw label (`Issuer:account`), and ours on `issuer` / `account` given with a setup key. */
  maxLabelLength: 512,
  /** An export is bounded by what one QR code holds (2953 bytes); this leaves room for percent-encoding. */
  maxMigrationUriLength: 4096,
  /** 128 key bytes are 205 base32 characters; the rest is room for the spaces and dashes people type. */
  maxSetupKeyLength: 512,
  /** How many accounts an error message lists by name (the error details list all of them). */
  maxListedAccounts: 20,
} as const;

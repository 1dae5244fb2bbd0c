/**
 * Named errors for everything a caller can get wrong. Each carries a `kind`, which the API layer
 * maps to an HTTP status in one place (`errorOutcome` in `shared/api/httpResponse.ts`); any other error is a 5xx.
 * Messages are shown to callers: they must never contain a seed, password, recovery code or OTP.
 */
export const ErrorKind = {
  invalid: 'invalid',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  notFound: 'notFound',
  conflict: 'conflict',
  tooLarge: 'tooLarge',
  unsupportedMedia: 'unsupportedMedia',
  unavailable: 'unavailable',
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export abstract class VaultError extends Error {
  abstract readonly kind: ErrorKind;
  /** Stable machine-readable code, e.g. `InvalidSeed`. */
  readonly code: string;
  /** Safe structured context (field names, limits), never secret values. */
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The request is malformed or violates a rule (400). */
export class InvalidInputError extends VaultError {
  readonly kind = ErrorKind.invalid;
  constructor(message: string, details?: Record<string, unknown>, code = 'InvalidInput') {
    super(code, message, details);
  }
}

/** The seed (URI, setup key, picture) cannot be used (400). */
export class InvalidSeedError extends InvalidInputError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'InvalidSeed');
  }
}

/** No usable credentials (401). */
export class UnauthenticatedError extends VaultError {
  readonly kind = ErrorKind.unauthenticated;
  constructor(message = 'a valid bearer token is required') {
    super('Unauthenticated', message);
  }
}

/** Authenticated but not allowed (403). The message must not reveal whether a target exists. */
export class ForbiddenError extends VaultError {
  readonly kind = ErrorKind.forbidden;
  constructor(message: string) {
    super('Forbidden', message);
  }
}

export class NotFoundError extends VaultError {
  readonly kind = ErrorKind.notFound;
  constructor(message: string, code = 'NotFound') {
    super(code, message);
  }
}

export class ConflictError extends VaultError {
  readonly kind = ErrorKind.conflict;
  constructor(message: string, code = 'Conflict', details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** A size limit was exceeded (413): checked before the expensive work. */
export class TooLargeError extends VaultError {
  readonly kind = ErrorKind.tooLarge;
  constructor(message: string, details?: Record<string, unknown>) {
    super('TooLarge', message, details);
  }
}

export class UnsupportedMediaError extends VaultError {
  readonly kind = ErrorKind.unsupportedMedia;
  constructor(message: string) {
    super('UnsupportedMediaType', message);
  }
}

/** A dependency we need in order to answer safely is down (503), e.g. the audit store. */
export class UnavailableError extends VaultError {
  readonly kind = ErrorKind.unavailable;
  constructor(message: string, code = 'Unavailable') {
    super(code, message);
  }
}

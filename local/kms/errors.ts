/**
 * Errors the emulator returns to callers, named exactly as the real services name them so the SDK
 * raises the same exception classes (`err.name`). Anything thrown that is not a {@link ServiceError}
 * is our own failure and goes back as a 500.
 *
 * Messages are shown to callers and written to the trail: they must never contain a plaintext,
 * data key or key material.
 */
export const ErrorType = {
  // KMS (TrentService)
  alreadyExists: 'AlreadyExistsException',
  incorrectKey: 'IncorrectKeyException',
  invalidAliasName: 'InvalidAliasNameException',
  invalidCiphertext: 'InvalidCiphertextException',
  invalidKeyUsage: 'InvalidKeyUsageException',
  invalidMarker: 'InvalidMarkerException',
  invalidSignature: 'KMSInvalidSignatureException',
  notFound: 'NotFoundException',
  unsupportedOperation: 'UnsupportedOperationException',
  // CloudTrail
  invalidLookupAttributes: 'InvalidLookupAttributesException',
  invalidMaxResults: 'InvalidMaxResultsException',
  invalidNextToken: 'InvalidNextTokenException',
  invalidTimeRange: 'InvalidTimeRangeException',
  // Common to every AWS JSON service
  incompleteSignature: 'IncompleteSignatureException',
  signatureDoesNotMatch: 'InvalidSignatureException',
  unrecognizedClient: 'UnrecognizedClientException',
  missingAuthenticationToken: 'MissingAuthenticationTokenException',
  serialization: 'SerializationException',
  unknownOperation: 'UnknownOperationException',
  validation: 'ValidationException',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Refusals of who the caller is: HTTP 403, as AWS sends them. */
const FORBIDDEN: ReadonlySet<ErrorType> = new Set([
  ErrorType.incompleteSignature,
  ErrorType.signatureDoesNotMatch,
  ErrorType.unrecognizedClient,
  ErrorType.missingAuthenticationToken,
]);

/** A caller error, sent as HTTP 400 (403 for authentication) with `{"__type": type, "message": message}`. */
export class ServiceError extends Error {
  readonly type: ErrorType;
  readonly status: number;

  constructor(type: ErrorType, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.type = type;
    this.status = FORBIDDEN.has(type) ? 403 : 400;
  }
}

/** The `__type` sent for our own failures (HTTP 500), per service. */
export const InternalErrorType = {
  kms: 'KMSInternalException',
  cloudTrail: 'InternalFailure',
} as const;

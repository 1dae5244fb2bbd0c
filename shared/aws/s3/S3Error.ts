/**
 * What S3 answered instead of success. `name` is S3's error code (`NoSuchKey`, `PreconditionFailed`,
 * `AccessDenied`…), as the SDK names its errors, so callers that tell errors apart by name keep
 * working. A body without an error code (HEAD has none; a proxy's page; garbage) is named by the
 * HTTP status.
 */
export class S3Error extends Error {
  constructor(
    /** S3's error code, or the status's name when the body had none. */
    readonly code: string,
    readonly status: number,
    message: string,
    /** `x-amz-request-id`, for AWS support. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** The SDK's names for a status without an S3 error document (HEAD answers carry no body). */
const STATUS_CODES: Record<number, string> = {
  301: 'PermanentRedirect',
  307: 'TemporaryRedirect',
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  503: 'ServiceUnavailable',
};

export function codeOfStatus(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'InternalError' : `Http${status}`);
}

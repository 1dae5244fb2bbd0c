import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ErrorKind, VaultError } from '../errors';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  tooLarge: 413,
  unsupportedMedia: 415,
  unavailable: 503,
};

const JSON_TYPE = 'application/json; charset=utf-8';

/** Responses carry codes and seeds-in-transit: nothing may cache them. */
function headers(requestId: string, contentType = JSON_TYPE): Record<string, string> {
  return {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-request-id': requestId,
    'x-content-type-options': 'nosniff',
  };
}

export function jsonResponse(status: number, body: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (status === 204) return { statusCode: 204, headers: headers(requestId) };
  return { statusCode: status, headers: headers(requestId), body: JSON.stringify(body) };
}

/**
 * A handler result that is not JSON (an export file): the wrapper sends `body` as it is, with its
 * content type and, given a file name, as a download (`content-disposition: attachment`).
 */
export class RawBody {
  constructor(readonly file: { contentType: string; body: string; filename?: string }) {}
}

export function rawResponse(status: number, raw: RawBody, requestId: string): APIGatewayProxyStructuredResultV2 {
  const { contentType, body, filename } = raw.file;
  const result = headers(requestId, contentType);
  if (filename) result['content-disposition'] = `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
  return { statusCode: status, headers: result, body };
}

export interface ErrorOutcome {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Caller errors keep their message; anything else becomes a 500 that says only the request id. */
export function errorOutcome(error: unknown, requestId: string): ErrorOutcome {
  if (error instanceof VaultError) {
    return { status: STATUS[error.kind], code: error.code, message: error.message, details: error.details };
  }
  return { status: 500, code: 'InternalError', message: `internal error; request id ${requestId}` };
}

export function errorResponse(outcome: ErrorOutcome, requestId: string): APIGatewayProxyStructuredResultV2 {
  const { status, code, message, details } = outcome;
  return jsonResponse(status, { error: details ? { code, message, details } : { code, message } }, requestId);
}

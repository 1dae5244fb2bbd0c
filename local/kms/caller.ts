/**
 * Who sent a request. Signatures are not verified: the SigV4 credential scope is only read for the
 * access key id (recorded as the caller) and the region (which scopes keys).
 */
import type { IncomingMessage } from 'node:http';
import { ErrorType, ServiceError } from './errors';

export interface Caller {
  accessKeyId: string;
  region: string;
  sourceIpAddress: string;
  userAgent: string;
}

const CREDENTIAL = /Credential=([A-Za-z0-9]+)\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/;

/** Reads the caller from the `Authorization` header; an unsigned request is refused, as AWS does. */
export function callerOf(request: IncomingMessage): Caller {
  const scope = CREDENTIAL.exec(request.headers.authorization ?? '');
  if (scope === null) {
    throw new ServiceError(ErrorType.missingAuthenticationToken, 'Missing Authentication Token');
  }
  return {
    accessKeyId: scope[1],
    region: scope[2],
    sourceIpAddress: request.socket.remoteAddress ?? '127.0.0.1',
    userAgent: request.headers['user-agent'] ?? '',
  };
}

/**
 * Who sent a request: the SigV4 signature is checked against the local stack's credentials
 * (`<dataDir>/credentials.json`) as KMS checks it against IAM; the access key id is recorded as the
 * caller and the credential scope's region scopes keys.
 */
import type { IncomingMessage } from 'node:http';
import type { LocalCredentialStore } from '../credentials';
import { verifySignature, type SignatureProblem } from '../sigv4/verifySignature';
import { ErrorType, ServiceError } from './errors';

export interface Caller {
  accessKeyId: string;
  /** The identity's name in the credentials file: the trail's IAM user name. */
  userName: string;
  region: string;
  sourceIpAddress: string;
  userAgent: string;
}

const REFUSALS: Record<SignatureProblem, ErrorType> = {
  missing: ErrorType.missingAuthenticationToken,
  incomplete: ErrorType.incompleteSignature,
  unknownKey: ErrorType.unrecognizedClient,
  mismatch: ErrorType.signatureDoesNotMatch,
  expired: ErrorType.signatureDoesNotMatch,
};

/** Verifies the request's signature over `body`; a request not signed with our credentials is refused. */
export async function callerOf(request: IncomingMessage, body: Buffer, credentials: LocalCredentialStore): Promise<Caller> {
  const check = await verifySignature(
    { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
    { secretOf: (accessKeyId) => credentials.secretOf(accessKeyId), uriEscapePath: true },
  );
  if (!check.ok) throw new ServiceError(REFUSALS[check.problem], check.message);
  return {
    accessKeyId: check.accessKeyId,
    userName: (await credentials.lookup(check.accessKeyId))?.name ?? check.accessKeyId,
    region: check.region,
    sourceIpAddress: request.socket.remoteAddress ?? '127.0.0.1',
    userAgent: request.headers['user-agent'] ?? '',
  };
}
